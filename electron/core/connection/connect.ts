/**
 * Connecting a community: discovery, the plan, the race, and remembering what won. Stops at the
 * winner's stream features; the caller authenticates with `result.connection.client.authenticate`.
 */
import { parseCommunityAddress } from './address.js';
import type { ProxySettings } from './candidate.js';
import { xmppAttempt } from './attempt.js';
import type { XmppPath } from './attempt.js';
import { discoverEndpoints } from './discovery.js';
import type { Discovery, DiscoveryOptions } from './discovery.js';
import { planCandidates } from './plan.js';
import type { ConnectionMethod, Plan } from './plan.js';
import { raceCandidates } from './race.js';
import type { AttemptEvent, RaceResult, Strategy } from './race.js';
import type { ProxyResolver } from './routes/system-proxy.js';
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
  allowUnencrypted: boolean;
  trust?: CertificateTrust;
  strategy?: Strategy;
  deadlineMs?: number;
  resource?: string;
  /** false: use only the address and the default endpoints. */
  discovery?: DiscoveryOptions | false;
  /** Remembered winners, by community and network fingerprint. */
  memory?: { winners: WinnerMemory; community: string; network: string };
  onEvent?: (event: AttemptEvent) => void;
}

export interface ConnectOutcome {
  plan: Plan;
  /** Absent when skipped: a port was given, discovery was turned off, or a remembered winner led. */
  discovery?: Discovery;
  result: RaceResult<XmppPath>;
}

export async function connectToCommunity(request: ConnectRequest): Promise<ConnectOutcome> {
  const address = parseCommunityAddress(request.address);
  const domain = request.domain ?? address.host;
  const { memory } = request;
  const rememberedWinner = memory?.winners.recall(memory.community, memory.network);
  // A remembered winner is tried at once; waiting for discovery would spend its head start.
  const discovery =
    address.port === null && request.discovery !== false && !rememberedWinner
      ? await discoverEndpoints(domain, { ...request.discovery, ...(request.trust ? { trust: request.trust } : {}) })
      : undefined;
  const plan = planCandidates({
    address,
    method: request.method,
    allowUnencrypted: request.allowUnencrypted,
    ...(request.proxy ? { proxy: request.proxy } : {}),
    ...(request.systemProxy ? { useSystemProxy: true } : {}),
    ...(discovery ? { discovered: discovery } : {}),
    ...(rememberedWinner ? { rememberedWinner } : {}),
  });
  const attempt = xmppAttempt({
    domain,
    ...(request.trust ? { trust: request.trust } : {}),
    ...(request.resource ? { resource: request.resource } : {}),
    ...(request.systemProxy ? { systemProxy: request.systemProxy } : {}),
  });
  const result = await raceCandidates(plan, attempt, {
    serverName: domain,
    allowUnencrypted: request.allowUnencrypted,
    ...(request.strategy ? { strategy: request.strategy } : {}),
    ...(request.deadlineMs ? { deadlineMs: request.deadlineMs } : {}),
    ...(request.onEvent ? { onEvent: request.onEvent } : {}),
  });
  if (memory) {
    if (result.connected) memory.winners.remember(memory.community, memory.network, result.winner.candidate);
    else if (rememberedWinner) memory.winners.forget(memory.community, memory.network);
  }
  return { plan, ...(discovery ? { discovery } : {}), result };
}
