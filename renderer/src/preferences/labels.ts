/** What Preferences calls each setting, in Sametime's words; shared by the fields and the error summary. */
import type { ConnectionKey } from '../../../electron/common/settings/connection-keys.js';
import type { DesktopKey } from '../../../electron/common/settings/desktop.js';
import type { ProxyUrl } from '../../../electron/common/settings/proxy-url.js';
import { methodLabels, proxyTypeLabels } from '../../../electron/contract/settings-words.js';

export const connectionLabels: Record<ConnectionKey, string> = {
  method: 'Connection method',
  'proxy.type': 'Proxy type',
  'proxy.host': 'Proxy host',
  'proxy.port': 'Proxy port',
  'proxy.username': 'Proxy user name',
  'proxy.resolveThroughProxy': 'Resolve host names through the proxy',
  allowUnencrypted: 'Allow unencrypted HTTP tunnelling',
  attemptDelayMs: 'Attempt delay (ms)',
  deadlineMs: 'Overall deadline (ms)',
  trustedCaFiles: 'Additional trusted CA files',
  trustedCaPem: 'Additional trusted CA (PEM)',
  pacUrl: 'PAC URL',
};

export { methodLabels, proxyTypeLabels };

export const desktopLabels: Record<DesktopKey, string> = {
  closeToTray: 'Keep Burrow running in the tray when its window is closed',
  startAtLogin: 'Start Burrow when I log in',
  awayAfterMinutes: 'Show me as away after this many idle minutes (0: never)',
};

/** "Use type HTTP, host proxy.example.com, port 3128, user name alice and the password from the address": the offer for a proxy typed as a URL. */
export function proxyUrlFixLabel({ type, host, port, resolveThroughProxy, username, password }: ProxyUrl): string {
  const resolving = type.startsWith('socks') && resolveThroughProxy ? ', host names resolved by the proxy' : '';
  const user = username === undefined ? '' : `, user name ${username}`;
  const secret = password ? ' and the password from the address' : '';
  return `Use type ${proxyTypeLabels[type]}, host ${host}, port ${port}${resolving}${user}${secret}`;
}

export const communityLabels: Record<string, string> = {
  id: 'Identifier',
  displayName: 'Display name',
  hostServer: 'Host server',
  port: 'Server community port',
  xmppDomain: 'XMPP domain',
  username: 'User name',
  useGlobalConnection: 'Use global connection settings',
};

export const passwordLabels = { account: 'Password', proxy: 'Proxy password' };

export const sectionLabels = { communities: 'Server Communities', global: 'Global connection settings', desktop: 'Desktop and presence' } as const;
export type Section = keyof typeof sectionLabels;

export const communityTabLabels = { server: 'Server', connection: 'Connection' } as const;
export type CommunityTab = keyof typeof communityTabLabels;
