/**
 * A connection attempt in words: the one place they are made, for the status banner, Test
 * connection and `diagnose`. Core sends facts (attempt-path.ts); nothing parses these words back.
 */
import type { AttemptPath, PathEndpoint, PathRoute, Transport } from './attempt-path.js';

/** "chat.example.com:5222", "[2001:db8::1]:5223" */
export function formatHostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** "xmpps://chat.example.com:5223", "wss://chat.example.com:443/xmpp-websocket" */
export function endpointUrl({ transport, host, port, path, secure }: PathEndpoint & { transport: Transport }): string {
  const hostPort = formatHostPort(host, port);
  switch (transport) {
    case 'starttls':
      return `xmpp://${hostPort}`;
    case 'directtls':
      return `xmpps://${hostPort}`;
    case 'websocket':
      return `${secure ? 'wss' : 'ws'}://${hostPort}${path ?? ''}`;
    case 'bosh':
      return `${secure ? 'https' : 'http'}://${hostPort}${path ?? ''}`;
  }
}

/** "direct", "system proxy", "HTTP proxy proxy.example.com:3128" */
export function routeLine(route: PathRoute): string {
  switch (route.kind) {
    case 'direct':
      return 'direct';
    case 'system':
      return route.systemNetworkStack ? "system proxy on the system's network stack" : 'system proxy';
    case 'proxy':
      return `${route.proxyType.toUpperCase()} proxy ${formatHostPort(route.host, route.port)}`;
  }
}

const transportNames: Record<Transport, string> = {
  starttls: 'TCP+STARTTLS',
  directtls: 'direct TLS',
  websocket: 'WebSocket',
  bosh: 'BOSH',
};

/** Where the path reaches the server: "wss://chat.example.com:443/xmpp-websocket". */
export function pathUrl({ transport, endpoint }: Pick<AttemptPath, 'transport' | 'endpoint'>): string {
  return endpointUrl({ transport, ...endpoint });
}

/** The path in full, for a help desk and the logs: "BOSH https://chat.example.com:443/http-bind via HTTP proxy proxy.example.com:3128". */
export function pathLine({ transport, endpoint, route }: AttemptPath): string {
  return `${transportNames[transport]} ${pathUrl({ transport, endpoint })} via ${routeLine(route)}`;
}

function transportWords({ transport, endpoint }: AttemptPath): string {
  switch (transport) {
    case 'starttls':
      return 'TCP with STARTTLS';
    case 'directtls':
      return 'Direct TLS';
    case 'websocket':
      return endpoint.secure ? 'WebSocket over HTTPS' : 'WebSocket over plain HTTP';
    case 'bosh':
      return endpoint.secure ? 'BOSH over HTTPS' : 'BOSH over plain HTTP';
  }
}

function viaWords(route: PathRoute): string | null {
  switch (route.kind) {
    case 'direct':
      return null;
    case 'system':
      return route.systemNetworkStack ? "the system proxy, on the system's network stack" : 'the system proxy';
    case 'proxy':
      return routeLine(route);
  }
}

/** The path at a glance: "WebSocket over HTTPS via HTTP proxy proxy.example.com:3128", "Direct TLS, no proxy". */
export function pathWords(path: AttemptPath): string {
  const via = viaWords(path.route);
  return via === null ? `${transportWords(path)}, no proxy` : `${transportWords(path)} via ${via}`;
}
