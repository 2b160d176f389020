/** What the tray says about the accounts and the unread messages: pure, so it is tested without Electron. */
import { accountStatusLine } from '../contract/account-words.js';
import type { AccountView } from '../contract/contract.js';

/** The tray icon's tooltip: every account's state, and the unread count. */
export function trayTooltip(accounts: readonly Pick<AccountView, 'displayName' | 'lifecycle'>[], unread: number): string {
  const lines = ['Burrow', ...accounts.map((account) => accountStatusLine(account, { withCause: false }))];
  if (unread > 0) lines.push(unread === 1 ? '1 unread message' : `${unread} unread messages`);
  return lines.join('\n');
}
