/**
 * A proxy written as a URL ("http://proxy.example.com:3128", "socks5h://alice:secret@[2001:db8::9]"),
 * read as Burrow's proxy fields. No Node imports: `diagnose --proxy` and the Preferences proxy host
 * field read it alike.
 */
import { isHost } from './host.js';
import type { ProxyType } from './schema.js';

export interface ProxyUrl {
  type: ProxyType;
  /** As Preferences writes a host: lower case, an IPv6 address in brackets. */
  host: string;
  port: number;
  resolveThroughProxy: boolean;
  username?: string;
  /** Only with a user name. */
  password?: string;
}

const schemes: Record<string, { type: ProxyType; defaultPort: number; resolveThroughProxy: boolean }> = {
  http: { type: 'http', defaultPort: 80, resolveThroughProxy: true },
  https: { type: 'https', defaultPort: 443, resolveThroughProxy: true },
  socks4: { type: 'socks4', defaultPort: 1080, resolveThroughProxy: false },
  socks4a: { type: 'socks4', defaultPort: 1080, resolveThroughProxy: true },
  socks5: { type: 'socks5', defaultPort: 1080, resolveThroughProxy: false },
  socks5h: { type: 'socks5', defaultPort: 1080, resolveThroughProxy: true },
};

export const proxyUrlSchemes = Object.keys(schemes);

/** The proxy the URL names, or null when it is no proxy URL (no known scheme, a path, a bad host or port). */
export function readProxyUrl(text: string): ProxyUrl | null {
  const scheme = schemes[/^([a-z0-9]+):\/\//i.exec(text.trim())?.[1]?.toLowerCase() ?? ''];
  const url = scheme && URL.canParse(text.trim()) ? new URL(text.trim()) : null;
  if (!scheme || !url || !['', '/'].includes(url.pathname) || url.search !== '' || url.hash !== '') return null;
  const host = url.hostname.toLowerCase();
  if (!isHost(host) || url.port === '0') return null;
  const username = decodeURIComponent(url.username);
  return {
    type: scheme.type,
    host,
    // WHATWG URL forgets a port equal to its scheme's default: only http's and https's, which are the proxy's defaults too.
    port: url.port === '' ? scheme.defaultPort : Number(url.port),
    resolveThroughProxy: scheme.resolveThroughProxy,
    ...(username ? { username, password: decodeURIComponent(url.password) } : {}),
  };
}
