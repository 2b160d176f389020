/** What the tray says about each account and the unread messages: pure, so it is tested without Electron. */
import type { AccountView } from '../contract/contract.js';

const stateWords: Record<AccountView['state'], string> = {
  'not-configured': 'not set up',
  offline: 'offline',
  connecting: 'connecting…',
  connected: 'connected',
  reconnecting: 'reconnecting',
  failed: 'not connected',
};

/** "Lab: connected", "Lab: not connected (The server refused the password.)". */
export function accountStatusLine(account: Pick<AccountView, 'displayName' | 'state' | 'diagnosis'>): string {
  const why = account.state === 'failed' && account.diagnosis ? ` (${account.diagnosis.summary})` : '';
  return `${account.displayName}: ${stateWords[account.state]}${why}`;
}

/** The tray icon's tooltip: every account's state, and the unread count. */
export function trayTooltip(accounts: readonly Pick<AccountView, 'displayName' | 'state' | 'diagnosis'>[], unread: number): string {
  const lines = ['Burrow', ...accounts.map((account) => accountStatusLine({ ...account, diagnosis: null }))];
  if (unread > 0) lines.push(unread === 1 ? '1 unread message' : `${unread} unread messages`);
  return lines.join('\n');
}
