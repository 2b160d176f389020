import type { AttemptPath, PathRoute, Transport } from '../../contract/attempt-path.js';
import type { PortConvention } from '../../contract/attempt-view.js';
import { endpointUrl, formatHostPort, pathLine, routeLine } from '../../contract/attempt-words.js';

export type TransportKind = Transport;

/** Where the server listens, and how XMPP is framed there. */
export interface Endpoint {
  transport: TransportKind;
  host: string;
  port: number;
  /** HTTP path of a WebSocket or BOSH endpoint. */
  path?: string;
  /** Whether credentials would travel encrypted: always for STARTTLS (required) and direct TLS. */
  secure: boolean;
  /** How the endpoint became known, for the diagnosis. */
  source: 'address' | 'default' | 'srv' | 'host-meta' | 'remembered';
  /** A bare host:port: why Burrow chose this transport for the port, said when the attempt fails. */
  assumed?: PortConvention;
}

export type ProxyType = 'http' | 'https' | 'socks4' | 'socks5';

export interface ProxySettings {
  type: ProxyType;
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** Let the proxy resolve the server's name (SOCKS4a/5h; HTTP proxies always do). */
  resolveThroughProxy: boolean;
}

export type Route =
  | { kind: 'direct' }
  /**
   * Whatever the OS / PAC / environment says for this endpoint, looked up when the attempt starts;
   * `systemNetworkStack`: carried by the system's own network stack (Chromium's, in Electron), not Burrow's.
   */
  | { kind: 'system'; systemNetworkStack?: true }
  | { kind: 'proxy'; proxy: ProxySettings };

export interface Candidate {
  endpoint: Endpoint;
  route: Route;
}

function pathRoute(route: Route): PathRoute {
  switch (route.kind) {
    case 'direct':
      return { kind: 'direct' };
    case 'system':
      return { kind: 'system', systemNetworkStack: route.systemNetworkStack === true };
    case 'proxy':
      return { kind: 'proxy', proxyType: route.proxy.type, host: route.proxy.host, port: route.proxy.port };
  }
}

/** The candidate as the contract carries it, without credentials. */
export function attemptPath({ endpoint, route }: Candidate): AttemptPath {
  const { transport, host, port, path, secure } = endpoint;
  return { transport, endpoint: { host, port, ...(path === undefined ? {} : { path }), secure }, route: pathRoute(route) };
}

/** e.g. "HTTP proxy proxy.example.org:3128" */
export function describeRoute(route: Route): string {
  return routeLine(pathRoute(route));
}

/** e.g. "BOSH https://chat.example.org:443/http-bind via HTTP proxy proxy.example.org:3128" */
export function describeCandidate(candidate: Candidate): string {
  return pathLine(attemptPath(candidate));
}

function routeKey(route: Route): string {
  return route.kind === 'proxy' ? `${route.proxy.type}:${formatHostPort(route.proxy.host, route.proxy.port)}` : route.kind;
}

/** Identity of a path regardless of how it was found: what is remembered per network. */
export function candidateKey({ endpoint, route }: Candidate): string {
  return `${endpoint.transport} ${endpointUrl(endpoint)} ${routeKey(route)}`;
}

/**
 * WebSocket and BOSH to the same host and port along the same route: the same connection, the same
 * TLS, only the framing differs, so the network cannot tell them apart; only the server's answers can.
 */
export function framingSiblings(a: Candidate, b: Candidate): boolean {
  const web = (candidate: Candidate) => candidate.endpoint.transport === 'websocket' || candidate.endpoint.transport === 'bosh';
  return (
    web(a) &&
    web(b) &&
    a.endpoint.transport !== b.endpoint.transport &&
    a.endpoint.host === b.endpoint.host &&
    a.endpoint.port === b.endpoint.port &&
    a.endpoint.secure === b.endpoint.secure &&
    routeKey(a.route) === routeKey(b.route)
  );
}

/** The candidate as it may be shown, logged or stored: proxy passwords stay in the keychain. */
export function withoutSecrets(candidate: Candidate): Candidate {
  const { route } = candidate;
  if (route.kind !== 'proxy' || route.proxy.password === undefined) return candidate;
  const { password: _password, ...proxy } = route.proxy;
  return { ...candidate, route: { kind: 'proxy', proxy } };
}
