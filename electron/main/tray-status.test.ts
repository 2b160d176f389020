import { describe, expect, it } from 'vitest';
import { accountStatusLine, trayTooltip } from './tray-status.js';

describe('the tray\'s words', () => {
  it('says each account\'s state, and why one failed', () => {
    expect(accountStatusLine({ displayName: 'Lab', state: 'connected', diagnosis: null })).toBe('Lab: connected');
    expect(accountStatusLine({ displayName: 'Lab', state: 'failed', diagnosis: { summary: 'The server refused the password.', hints: [] } })).toBe(
      'Lab: not connected (The server refused the password.)',
    );
  });

  it('sums up every account and the unread messages in the tooltip', () => {
    const accounts = [
      { displayName: 'Lab', state: 'connected' as const, diagnosis: null },
      { displayName: 'Work', state: 'reconnecting' as const, diagnosis: null },
    ];
    expect(trayTooltip(accounts, 0)).toBe('Burrow\nLab: connected\nWork: reconnecting');
    expect(trayTooltip(accounts, 1)).toBe('Burrow\nLab: connected\nWork: reconnecting\n1 unread message');
    expect(trayTooltip([], 3)).toBe('Burrow\n3 unread messages');
  });
});
