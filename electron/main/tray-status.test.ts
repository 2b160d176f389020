import { describe, expect, it } from 'vitest';
import { accountStatusLine } from '../contract/account-words.js';
import { trayTooltip } from './tray-status.js';

const online = { state: 'online', since: 0, path: { transport: 'directtls', endpoint: { host: 'chat.lab.test', port: 5223, secure: true }, route: { kind: 'direct' } }, resumed: false, connectMs: 90, failures: 0 } as const;

describe("the tray's words", () => {
  it("says each account's state, and why one is not connected", () => {
    expect(accountStatusLine({ displayName: 'Lab', lifecycle: online })).toBe('Lab: connected');
    const refused = { state: 'failed', since: 0, cause: { kind: 'sign-in-refused', condition: 'not-authorized' }, remedy: 'fix-password' } as const;
    expect(accountStatusLine({ displayName: 'Lab', lifecycle: refused })).toBe('Lab: not connected (The server refused the user name or password.)');
  });

  it('sums up every account and the unread messages in the tooltip', () => {
    const accounts = [
      { displayName: 'Lab', lifecycle: online },
      { displayName: 'Work', lifecycle: { state: 'reconnecting', since: 0, cause: { kind: 'stream-lost' }, failures: 0, next: { step: 'racing' } } as const },
    ];
    expect(trayTooltip(accounts, 0)).toBe('Burrow\nLab: connected\nWork: reconnecting');
    expect(trayTooltip(accounts, 1)).toBe('Burrow\nLab: connected\nWork: reconnecting\n1 unread message');
    expect(trayTooltip([], 3)).toBe('Burrow\n3 unread messages');
  });
});
