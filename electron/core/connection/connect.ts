/**
 * Connecting a community: the plan, the race, discovery alongside it, and remembering what won.
 * Stops at the winner's stream features; the caller authenticates with `result.connection.client.authenticate`.
 */
import { parseCommunityAddress } from './address.js';
import type https from 'node:https';

import type { Endpoint, ProxySettings, Route } from './candidate.js';
import { xmppAttempt } from './attempt.js';
import type { XmppPath } from './attempt.js';
import { discoverEndpoints, httpsGetText } from './discovery.js';
import type { Discovery, DiscoveryOptions } from './discovery.js';
import { planCandidates, planWithDiscovery } from './plan.js';
import type { ConnectionMethod, Plan, PlanInput } from './plan.js';
import { defaultDeadlineMs, raceCandidates } from './race.js';
import type { AttemptEvent, RaceResult, Strategy } from './race.js';
import { openRouteSocket } from './routes/open-route.js';
import { ProxyLogins } from './routes/proxy-logins.js';
import { routeAgent } from './routes/route-agent.js';
import type { HttpStack } from './http-stack.js';
import type { ProxyResolver } from './routes/system-proxy.js';
import { tlsTrustFor } from './trust.js';
import type { CertificateTrust } from './trust.js';
import type { WinnerMemory } from './winners.js';

export interface ConnectRequest {
  address: string;
  /** The XMPP domain; the address's host when not given. */
  domain?: string;
  method: ConnectionMethod;
  proxy?: ProxySettings;
  /** Where "system proxy" routes are looked up; with "Automatic" it also adds those routes. */
  systemProxy?: ProxyResolver;
  /**
   * With "Use my system proxy settings" in Electron: Chromium's stack, for BOSH over HTTPS. It
   * verifies certificates with the system's store alone, so it is not used when Burrow's trust adds to it.
   */
  systemNetworkStack?: HttpStack;
  allowUnencrypted: boolean;
  trust?: CertificateTrust;
  strategy?: Strategy;
  deadlineMs?: number;
  resource?: string;
  /** false: use only the address and the default endpoints. */
  discovery?: DiscoveryOptions | false;
  /** Remembered winners, by community and network fingerprint, and the endpoints each server published. */
  memory?: { winners: WinnerMemory; community: string; network: string };
  onEvent?: (event: AttemptEvent) => void;
}

export interface ConnectOutcome {
  /** What was raced: with the discovered candidates when discovery answered in time. */
  plan: Plan;
  /** Absent when skipped (a port was given, or discovery was turned off) or when a path won before discovery answered. */
  discovery?: Discovery;
  result: RaceResult<XmppPath>;
}

export async function connectToCommunity(request: ConnectRequest): Promise<ConnectOutcome> {
  const address = parseCommunityAddress(request.address);
  const domain = request.domain ?? address.host;
  // The CAs are parsed now, before any socket opens, not between a connection and its first TLS byte.
  tlsTrustFor(domain, request.trust);
  const { memory } = request;
  const deadlineMs = request.deadlineMs ?? defaultDeadlineMs;
  const rememberedWinner = memory?.winners.recall(memory.community, memory.network);
  const rememberedEndpoints = memory?.winners.recallEndpoints(domain);
  const timings = memory?.winners.recallTimings(memory.community, memory.network);
  const planInput: PlanInput = {
    address,
    method: request.method,
    allowUnencrypted: request.allowUnencrypted,
    ...(request.proxy ? { proxy: request.proxy } : {}),
    ...(request.systemProxy ? { useSystemProxy: true } : {}),
    ...(request.systemNetworkStack && !addsToSystemTrust(request.trust) ? { systemNetworkStack: true } : {}),
    ...(rememberedWinner ? { rememberedWinner } : {}),
    ...(timings ? { timings } : {}),
    ...(rememberedEndpoints ? { discovered: rememberedEndpoints } : {}),
  };
  let plan = planCandidates(planInput);
  let discovery: Discovery | undefined;
  const logins = new ProxyLogins();
  const stopDiscovery = new AbortController();
  // Discovery runs alongside the race and adds what it finds, also behind a remembered winner: that
  // one may have stopped working (a port closed since), and then the server's published paths must
  // be there, not guessed defaults.
  const discoveredPlan =
    address.port === null && request.discovery !== false
      ? discover(domain, request, logins, Math.min(defaultDiscoveryTimeoutMs, deadlineMs / 2), stopDiscovery.signal).then((found) => {
          discovery = found;
          memory?.winners.rememberEndpoints(domain, found);
          plan = planWithDiscovery(plan, planInput, found);
          return plan;
        })
      : undefined;
  const attempt = xmppAttempt({
    domain,
    ...(request.trust ? { trust: request.trust } : {}),
    ...(request.resource ? { resource: request.resource } : {}),
    ...(request.systemProxy ? { systemProxy: request.systemProxy } : {}),
    ...(request.systemNetworkStack ? { systemNetworkStack: request.systemNetworkStack } : {}),
    logins,
    allowUnencrypted: request.allowUnencrypted,
  });
  const result = await raceCandidates(plan, attempt, {
    serverName: domain,
    allowUnencrypted: request.allowUnencrypted,
    ...(request.strategy ? { strategy: request.strategy } : {}),
    deadlineMs,
    ...(discoveredPlan ? { discoveredPlan } : {}),
    ...(timings ? { timings } : {}),
    ...(request.onEvent ? { onEvent: request.onEvent } : {}),
  });
  stopDiscovery.abort();
  if (memory) {
    memory.winners.learnTimings(memory.community, memory.network, result.attempts);
    if (result.connected) memory.winners.remember(memory.community, memory.network, result.winner.candidate);
    else if (rememberedWinner) memory.winners.forget(memory.community, memory.network);
  }
  return { plan, ...(discovery ? { discovery } : {}), result };
}

const defaultDiscoveryTimeoutMs = 2000;

/** An administrator's CAs or a certificate the user trusted: only Burrow's own TLS knows them. */
function addsToSystemTrust(trust: CertificateTrust | undefined): boolean {
  return (trust?.extraCas?.length ?? 0) > 0 || (trust?.trustedFingerprints?.length ?? 0) > 0;
}

/**
 * DNS SRV and host-meta. With "Use proxy" or "Use my system proxy settings" host-meta is fetched
 * along that route, as the attempts will go: the direct path is typically closed there, and a
 * user who chose a proxy expects nothing to bypass it.
 */
async function discover(domain: string, request: ConnectRequest, logins: ProxyLogins, timeoutMs: number, signal: AbortSignal): Promise<Discovery> {
  const route: Route | undefined =
    request.method === 'proxy' && request.proxy
      ? { kind: 'proxy', proxy: request.proxy }
      : request.method === 'system-proxy'
        ? { kind: 'system' }
        : undefined;
  const options: DiscoveryOptions = { timeoutMs, signal, ...request.discovery, ...(request.trust ? { trust: request.trust } : {}) };
  if (!route || options.fetchText) return discoverEndpoints(domain, options);
  const hostMetaEndpoint: Endpoint = { transport: 'bosh', host: domain, port: 443, secure: true, source: 'default' };
  const agent = routeAgent(
    () =>
      openRouteSocket(route, hostMetaEndpoint, {
        signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
        timeoutMs,
        logins,
        ...(request.systemProxy ? { systemProxy: request.systemProxy } : {}),
      }),
    { tlsTrust: tlsTrustFor(domain, request.trust) },
  ) as https.Agent;
  try {
    return await discoverEndpoints(domain, { ...options, fetchText: httpsGetText(domain, request.trust, agent) });
  } finally {
    agent.destroy();
  }
}
