/**
 * A connection path in words a person reads at a glance. Core describes the winning path the
 * way electron/core/connection/candidate.ts describeCandidate does:
 * "<transport> <url> via <route>", e.g.
 *   "WebSocket wss://chat.example.com:443/xmpp-websocket via HTTP proxy proxy.example.com:3128"
 *   "BOSH https://chat.example.com:443/http-bind via direct"
 *   "direct TLS xmpps://chat.example.com:5223 via system proxy"
 *   "BOSH https://chat.example.com:443/http-bind via system proxy on the system's network stack"
 *   "TCP+STARTTLS xmpp://chat.example.com:5222 via direct"
 */

export interface ParsedPath {
  /** e.g. "WebSocket over HTTPS". */
  transport: string;
  /** Where the server was reached, e.g. "chat.example.com:443". */
  server: string;
  /** Whether the path is encrypted end to end (TLS, STARTTLS, wss, https). */
  encrypted: boolean;
  /** null for a direct connection; otherwise e.g. "HTTP proxy proxy.example.com:3128" or "system proxy". */
  via: string | null;
}

const routeWords: Record<string, string> = {
  'system proxy': 'the system proxy',
  "system proxy on the system's network stack": "the system proxy, on the system's network stack",
};

const pathPattern = /^(TCP\+STARTTLS|direct TLS|WebSocket|BOSH) (\S+) via (.+)$/;

function transportWords(kind: string, scheme: string): { transport: string; encrypted: boolean } | null {
  switch (kind) {
    case 'TCP+STARTTLS':
      return scheme === 'xmpp' ? { transport: 'TCP with STARTTLS', encrypted: true } : null;
    case 'direct TLS':
      return scheme === 'xmpps' ? { transport: 'Direct TLS', encrypted: true } : null;
    case 'WebSocket':
      if (scheme === 'wss') return { transport: 'WebSocket over HTTPS', encrypted: true };
      return scheme === 'ws' ? { transport: 'WebSocket over plain HTTP', encrypted: false } : null;
    case 'BOSH':
      if (scheme === 'https') return { transport: 'BOSH over HTTPS', encrypted: true };
      return scheme === 'http' ? { transport: 'BOSH over plain HTTP', encrypted: false } : null;
    default:
      return null;
  }
}

/** Splits a path as core describes it; null when it does not look like one. */
export function parsePath(path: string): ParsedPath | null {
  const match = pathPattern.exec(path.trim());
  if (!match) return null;
  const [, kind = '', url = '', route = ''] = match;
  const schemeEnd = url.indexOf('://');
  if (schemeEnd < 0) return null;
  const words = transportWords(kind, url.slice(0, schemeEnd));
  if (!words) return null;
  const server = url.slice(schemeEnd + 3).split('/')[0] ?? '';
  const via = route === 'direct' ? null : (routeWords[route] ?? route);
  return { ...words, server, via };
}

/** "WebSocket over HTTPS via proxy.example.com:3128", "Direct TLS, no proxy"; the path itself when it cannot be read. */
export function pathWords(path: string): string {
  const parsed = parsePath(path);
  if (!parsed) return path;
  return parsed.via === null ? `${parsed.transport}, no proxy` : `${parsed.transport} via ${parsed.via}`;
}
