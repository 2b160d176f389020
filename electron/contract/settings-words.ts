/** What Preferences calls the connection methods and proxy types, in Sametime's words; for Preferences and reports. */
import type { ConnectionMethod, ProxyType } from '../common/settings/schema.js';

export const methodLabels: Record<ConnectionMethod, string> = {
  automatic: 'Automatic (recommended)',
  'direct-tcp': 'Direct connection using TCP/IP',
  'direct-http': 'Direct connection using HTTP protocol',
  'system-proxy': 'Use my system proxy settings',
  proxy: 'Use proxy',
};

export const proxyTypeLabels: Record<ProxyType, string> = { http: 'HTTP', https: 'HTTPS', socks4: 'SOCKS4', socks5: 'SOCKS5' };
