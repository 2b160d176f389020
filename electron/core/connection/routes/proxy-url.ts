import { proxyUrlSchemes, readProxyUrl } from '../../../common/settings/proxy-url.js';
import type { ProxySettings } from '../candidate.js';

/** "http://user:pass@proxy:3128", "socks5h://proxy:1080" and the like, as proxy settings. */
export function parseProxyUrl(text: string): ProxySettings {
  const proxy = readProxyUrl(text);
  if (!proxy) throw new Error(`"${text}" is not a proxy URL; use ${proxyUrlSchemes.join(', ')}://[user:password@]host[:port]`);
  // Core connects to an IPv6 address without the brackets a URL or Preferences writes it in.
  return { ...proxy, host: proxy.host.replace(/^\[(.*)\]$/, '$1') };
}
