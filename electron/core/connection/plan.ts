import { parseCommunityAddress, AddressError } from './address.js';
import type { PortConvention } from '../../contract/attempt-view.js';
import type { AddressScheme, CommunityAddress } from './address.js';
import { candidateKey } from './candidate.js';
import type { Candidate, Endpoint, ProxySettings, Route, TransportKind } from './candidate.js';
import { timingOf } from './path-timings.js';
import type { PathTimings } from './path-timings.js';

export type ConnectionMethod = 'automatic' | 'direct-tcp' | 'direct-http' | 'system-proxy' | 'proxy';

/** A DNS SRV answer for `_xmpp-client._tcp` (STARTTLS) or `_xmpps-client._tcp` (direct TLS). */
export interface SrvTarget {
  service: 'xmpp-client' | 'xmpps-client';
  target: string;
  port: number;
  priority: number;
  weight: number;
}

/** A XEP-0156 host-meta link. */
export interface AltConnection {
  method: 'websocket' | 'xbosh';
  href: string;
}

export interface DiscoveredEndpoints {
  srv?: SrvTarget[];
  hostMeta?: AltConnection[];
}

export interface PlanInput {
  address: CommunityAddress;
  method: ConnectionMethod;
  /** Required for "Use proxy"; with "Automatic" an extra route after the direct one. */
  proxy?: ProxySettings;
  /** With "Automatic": also route through the system proxy, after direct. */
  useSystemProxy?: boolean;
  /** "Use my system proxy settings" in Electron: BOSH over HTTPS goes on the system's network stack. */
  systemNetworkStack?: boolean;
  allowUnencrypted: boolean;
  discovered?: DiscoveredEndpoints;
  rememberedWinner?: Candidate;
  /** What earlier races on this network measured: the paths with a measured time go first, fastest first. */
  timings?: PathTimings;
}

export interface ExcludedCandidate {
  candidate: Candidate;
  reason: 'unencrypted';
}

export interface Plan {
  candidates: Candidate[];
  /** Paths left out, so a diagnosis can say e.g. that only unencrypted HTTP was reachable. */
  excluded: ExcludedCandidate[];
}

export class PlanError extends Error {
  override name = 'PlanError';
}

export const defaultPorts: Record<AddressScheme, number> = {
  xmpp: 5222,
  xmpps: 5223,
  ws: 80,
  wss: 443,
  http: 80,
  https: 443,
};

export const defaultPaths = { websocket: '/xmpp-websocket', bosh: '/http-bind' } as const;

export function planCandidates(input: PlanInput): Plan {
  const { address, method } = input;
  const routes = routesFor(input);
  const primaryRoute = routes[0] ?? { kind: 'direct' };

  if (address.port !== null) {
    const endpoint = explicitEndpoint(address, address.port, method);
    return applySecurity(onNetworkStacks([{ endpoint, route: primaryRoute }], input), input.allowUnencrypted);
  }

  const endpoints = [
    ...(address.scheme === null ? [] : [schemeEndpoint(address.scheme, address.host, null, address.path, 'address')]),
    ...methodEndpoints(method, address.host, input.discovered ?? {}),
  ];
  const planned = endpoints.flatMap((endpoint) => routes.map((route): Candidate => ({ endpoint, route })));
  const remembered = usableRememberedWinner(input, routes);
  const ordered = fastestMeasuredFirst(uniqueCandidates([...(remembered ? [remembered] : []), ...planned]), input.timings);
  return applySecurity(onNetworkStacks(ordered, input), input.allowUnencrypted);
}

/**
 * Judged by time where it is known: the paths measured on this network, fastest first, then the
 * others in their order (the remembered winner, then by expected cost). A path only known to be
 * slower than some time keeps its place: it may still be the fastest.
 */
function fastestMeasuredFirst(candidates: Candidate[], timings: PathTimings | undefined): Candidate[] {
  const measuredMs = (candidate: Candidate) => {
    const timing = timingOf(timings, candidate);
    return timing?.kind === 'measured' ? timing.ms : undefined;
  };
  const measured = candidates.filter((candidate) => measuredMs(candidate) !== undefined);
  const others = candidates.filter((candidate) => measuredMs(candidate) === undefined);
  return [...measured.toSorted((a, b) => (measuredMs(a) ?? 0) - (measuredMs(b) ?? 0)), ...others];
}

/**
 * Which stack carries each candidate. Only BOSH over HTTPS has a choice: its requests are whole
 * HTTP requests Chromium can make, while the other transports need a socket of Burrow's own.
 */
function onNetworkStacks(candidates: Candidate[], { method, systemNetworkStack }: PlanInput): Candidate[] {
  if (method !== 'system-proxy' || !systemNetworkStack) return candidates;
  return candidates.map(({ endpoint, route }) =>
    route.kind === 'system' && endpoint.transport === 'bosh' && endpoint.secure
      ? { endpoint, route: { kind: 'system', systemNetworkStack: true } }
      : { endpoint, route },
  );
}

/**
 * The plan once discovery has answered, for a race already running `plan` (planned without it):
 * every candidate of `plan` keeps its place, and each discovered one goes right after the candidate
 * it follows in the plan discovery would have given — so ahead of the guessed defaults it would
 * have replaced, behind everything ranked above those. A path already planned (same transport,
 * host, port, path and route) is not added again.
 */
export function planWithDiscovery(plan: Plan, input: PlanInput, discovered: DiscoveredEndpoints): Plan {
  const replanned = planCandidates({ ...input, discovered });
  const excludedKey = ({ candidate }: ExcludedCandidate) => candidateKey(candidate);
  return {
    candidates: insertInPlace(plan.candidates, replanned.candidates, candidateKey),
    excluded: insertInPlace(plan.excluded, replanned.excluded, excludedKey),
  };
}

/** `current` with each item of `wanted` it lacks inserted after the item `wanted` has before it. */
function insertInPlace<T>(current: T[], wanted: T[], key: (item: T) => string): T[] {
  const merged = [...current];
  let previous = -1;
  for (const item of wanted) {
    const found = merged.findIndex((each) => key(each) === key(item));
    if (found >= 0) {
      previous = found;
    } else {
      previous += 1;
      merged.splice(previous, 0, item);
    }
  }
  return merged;
}

function routesFor({ method, proxy, useSystemProxy }: PlanInput): Route[] {
  switch (method) {
    case 'direct-tcp':
    case 'direct-http':
      return [{ kind: 'direct' }];
    case 'system-proxy':
      return [{ kind: 'system' }];
    case 'proxy':
      if (!proxy) throw new PlanError('"Use proxy" needs a proxy host and port');
      return [{ kind: 'proxy', proxy }];
    case 'automatic':
      return [
        { kind: 'direct' },
        ...(useSystemProxy ? [{ kind: 'system' } as const] : []),
        ...(proxy ? [{ kind: 'proxy', proxy } as const] : []),
      ];
  }
}

/** The one attempt an address with a written port gets. */
function explicitEndpoint(address: CommunityAddress, port: number, method: ConnectionMethod): Endpoint {
  if (address.scheme !== null) return schemeEndpoint(address.scheme, address.host, port, address.path, 'address');
  if (method === 'direct-http') {
    // A bare host:port says nothing about TLS; port 80 is the one place plain HTTP is the norm.
    return schemeEndpoint(port === 80 ? 'http' : 'https', address.host, port, null, 'address');
  }
  const convention = portConvention(port);
  return { ...schemeEndpoint(convention === 'any-other-port' ? 'xmpp' : 'xmpps', address.host, port, null, 'address'), assumed: convention };
}

/** What a bare port says of its transport, as XMPP clients read it (Conversations likewise takes 5223 and 443 for direct TLS). */
function portConvention(port: number): PortConvention {
  if (port === 5223) return 'direct-tls-port';
  if (port === 443) return 'https-port';
  return 'any-other-port';
}

function schemeEndpoint(
  scheme: AddressScheme,
  host: string,
  port: number | null,
  path: string | null,
  source: Endpoint['source'],
): Endpoint {
  const resolvedPort = port ?? defaultPorts[scheme];
  switch (scheme) {
    case 'xmpp':
      return { transport: 'starttls', host, port: resolvedPort, secure: true, source };
    case 'xmpps':
      return { transport: 'directtls', host, port: resolvedPort, secure: true, source };
    case 'ws':
    case 'wss':
      return { transport: 'websocket', host, port: resolvedPort, path: path ?? defaultPaths.websocket, secure: scheme === 'wss', source };
    case 'http':
    case 'https':
      return { transport: 'bosh', host, port: resolvedPort, path: path ?? defaultPaths.bosh, secure: scheme === 'https', source };
  }
}

/** Endpoints in order of expected cost: TLS/TCP, wss, BOSH over HTTPS, then the plaintext ones. */
function methodEndpoints(method: ConnectionMethod, host: string, discovered: DiscoveredEndpoints): Endpoint[] {
  const advertised = hostMetaEndpoints(discovered.hostMeta ?? []).filter(
    (endpoint) => method !== 'direct-http' || endpoint.port === 80 || endpoint.port === 443,
  );
  const httpEndpoints = (transport: TransportKind, secure: boolean): Endpoint[] => {
    const found = advertised.filter((endpoint) => endpoint.transport === transport && endpoint.secure === secure);
    if (found.length > 0) return found;
    const scheme: AddressScheme = transport === 'websocket' ? (secure ? 'wss' : 'ws') : secure ? 'https' : 'http';
    return [schemeEndpoint(scheme, host, null, null, 'default')];
  };
  const tunnelled = [
    ...httpEndpoints('websocket', true),
    ...httpEndpoints('bosh', true),
    ...httpEndpoints('websocket', false),
    ...httpEndpoints('bosh', false),
  ];
  return method === 'direct-http' ? tunnelled : [...tcpEndpoints(host, discovered.srv ?? []), ...tunnelled];
}

function tcpEndpoints(host: string, records: SrvTarget[]): Endpoint[] {
  // RFC 2782: a target of "." means the service is decidedly not available.
  const usable = records.filter((record) => record.target !== '.' && record.target !== '');
  if (usable.length === 0) {
    return [schemeEndpoint('xmpps', host, null, null, 'default'), schemeEndpoint('xmpp', host, null, null, 'default')];
  }
  // XEP-0368: one list ordered by priority, then weight; direct TLS wins a tie.
  const tieBreak = (record: SrvTarget) => (record.service === 'xmpps-client' ? 0 : 1);
  return usable
    .toSorted((a, b) => a.priority - b.priority || b.weight - a.weight || tieBreak(a) - tieBreak(b))
    .map((record) =>
      schemeEndpoint(record.service === 'xmpps-client' ? 'xmpps' : 'xmpp', record.target.replace(/\.$/, ''), record.port, null, 'srv'),
    );
}

function hostMetaEndpoints(links: AltConnection[]): Endpoint[] {
  return links.flatMap((link) => {
    const address = tryParse(link.href);
    if (!address?.scheme) return [];
    const matches = link.method === 'websocket' ? ['ws', 'wss'] : ['http', 'https'];
    if (!matches.includes(address.scheme)) return [];
    return [schemeEndpoint(address.scheme, address.host, address.port, address.path, 'host-meta')];
  });
}

function tryParse(href: string): CommunityAddress | undefined {
  try {
    return parseCommunityAddress(href);
  } catch (error) {
    if (error instanceof AddressError) return undefined;
    throw error;
  }
}

/**
 * The remembered winner goes first, but only if it fits the current method and routes. It is
 * remembered without secrets, so it takes the current route, with the current credentials.
 */
function usableRememberedWinner({ rememberedWinner, method }: PlanInput, routes: Route[]): Candidate | undefined {
  if (!rememberedWinner) return undefined;
  const { endpoint } = rememberedWinner;
  if (method === 'direct-http' && endpoint.transport !== 'websocket' && endpoint.transport !== 'bosh') return undefined;
  const route = routes.find((candidateRoute) => candidateKey({ endpoint, route: candidateRoute }) === candidateKey(rememberedWinner));
  return route ? { endpoint, route } : undefined;
}

function uniqueCandidates(candidates: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return candidates.filter((candidate) => {
    const key = candidateKey(candidate);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Unencrypted paths only when allowed; the others are left out, only probed to explain a failure. */
export function planAllows(endpoint: Endpoint, allowUnencrypted: boolean): boolean {
  return endpoint.secure || allowUnencrypted;
}

function applySecurity(candidates: Candidate[], allowUnencrypted: boolean): Plan {
  const plan: Plan = { candidates: [], excluded: [] };
  for (const candidate of candidates) {
    if (planAllows(candidate.endpoint, allowUnencrypted)) plan.candidates.push(candidate);
    else plan.excluded.push({ candidate, reason: 'unencrypted' });
  }
  return plan;
}
