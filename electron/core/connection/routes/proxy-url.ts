import { parseCommunityAddress } from '../address.js';
import type { ProxySettings, ProxyType } from '../candidate.js';

const schemes: Record<string, { type: ProxyType; defaultPort: number; resolveThroughProxy: boolean }> = {
  http: { type: 'http', defaultPort: 80, resolveThroughProxy: true },
  https: { type: 'https', defaultPort: 443, resolveThroughProxy: true },
  socks4: { type: 'socks4', defaultPort: 1080, resolveThroughProxy: false },
  socks4a: { type: 'socks4', defaultPort: 1080, resolveThroughProxy: true },
  socks5: { type: 'socks5', defaultPort: 1080, resolveThroughProxy: false },
  socks5h: { type: 'socks5', defaultPort: 1080, resolveThroughProxy: true },
};

/** "http://user:pass@proxy:3128", "socks5h://proxy:1080" and the like, as proxy settings. */
export function parseProxyUrl(text: string): ProxySettings {
  const match = /^([a-z0-9]+):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/]+)\/?$/i.exec(text.trim());
  const scheme = schemes[(match?.[1] ?? '').toLowerCase()];
  if (!match || !scheme) {
    throw new Error(`"${text}" is not a proxy URL; use ${Object.keys(schemes).join(', ')}://[user:password@]host[:port]`);
  }
  const [, , username, password, hostPort = ''] = match;
  const { host, port } = parseCommunityAddress(hostPort);
  return {
    type: scheme.type,
    host,
    port: port ?? scheme.defaultPort,
    resolveThroughProxy: scheme.resolveThroughProxy,
    ...(username ? { username: decodeURIComponent(username), password: decodeURIComponent(password ?? '') } : {}),
  };
}
