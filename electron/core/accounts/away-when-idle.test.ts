import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AccountLifecycle, OwnPresence } from '../../contract/contract.js';
import { AwayWhenIdle } from './away-when-idle.js';

const MINUTE = 60_000;
/** Any state but signed out will do: the account is trying or online. */
const signedIn: AccountLifecycle = { state: 'connecting', since: 0, step: 'racing' };

/** Accounts as core holds them: setPresence changes what the list says, as Account does. */
function accountsWith(presences: Record<string, OwnPresence>, lifecycles: Record<string, AccountLifecycle> = {}) {
  const accounts = new Map(Object.entries(presences).map(([communityId, presence]) => [communityId, { communityId, presence, lifecycle: lifecycles[communityId] ?? signedIn }]));
  const setPresence = vi.fn((communityId: string, presence: OwnPresence) => {
    accounts.get(communityId)!.presence = presence;
    return Promise.resolve();
  });
  return { list: () => [...accounts.values()], presenceOf: (id: string) => accounts.get(id)?.presence, setPresence };
}

let awayAfterMinutes = 10;
let away: AwayWhenIdle | undefined;
const start = (accounts: ReturnType<typeof accountsWith>) => {
  away = new AwayWhenIdle({ accounts: accounts.list, setPresence: accounts.setPresence, awayAfterMinutes: () => awayAfterMinutes });
  // The system or the page reports at once that the user is there.
  away.idleFor(0);
  return away;
};

beforeEach(() => {
  vi.useFakeTimers();
  awayAfterMinutes = 10;
});
afterEach(() => {
  away?.close();
  vi.useRealTimers();
});

describe('away when idle', () => {
  it('never goes away while nothing reports on the user, as in a core a script drives', () => {
    const accounts = accountsWith({ corp: { availability: 'available', status: '' } });
    away = new AwayWhenIdle({ accounts: accounts.list, setPresence: accounts.setPresence, awayAfterMinutes: () => awayAfterMinutes });
    vi.advanceTimersByTime(60 * MINUTE);
    expect(accounts.setPresence).not.toHaveBeenCalled();
  });

  it('shows an available user as away after the idle minutes, keeping the status text, and back when they return', () => {
    const accounts = accountsWith({ corp: { availability: 'available', status: 'Writing the report' } });
    const idle = start(accounts);
    vi.advanceTimersByTime(10 * MINUTE - 1);
    expect(accounts.presenceOf('corp')).toEqual({ availability: 'available', status: 'Writing the report' });
    vi.advanceTimersByTime(1);
    expect(accounts.presenceOf('corp')).toEqual({ availability: 'away', status: 'Writing the report' });
    idle.idleFor(0);
    expect(accounts.presenceOf('corp')).toEqual({ availability: 'available', status: 'Writing the report' });
  });

  it('counts idle time from the last activity reported, not from the last report', () => {
    const accounts = accountsWith({ corp: { availability: 'available', status: '' } });
    const idle = start(accounts);
    vi.advanceTimersByTime(5 * MINUTE);
    idle.idleFor(0);
    vi.advanceTimersByTime(9 * MINUTE);
    idle.idleFor(9 * MINUTE);
    expect(accounts.presenceOf('corp')?.availability).toBe('available');
    vi.advanceTimersByTime(MINUTE);
    expect(accounts.presenceOf('corp')?.availability).toBe('away');
  });

  it('goes away at once when told the user has been idle longer than the setting', () => {
    const accounts = accountsWith({ corp: { availability: 'available', status: '' } });
    start(accounts).idleFor(11 * MINUTE);
    expect(accounts.presenceOf('corp')?.availability).toBe('away');
  });

  it('leaves do not disturb, and a hand-chosen away, as the user set them, then and on return', () => {
    const accounts = accountsWith({ corp: { availability: 'dnd', status: 'Presenting' }, home: { availability: 'away', status: 'Lunch' } });
    const idle = start(accounts);
    vi.advanceTimersByTime(10 * MINUTE);
    idle.idleFor(0);
    expect(accounts.setPresence).not.toHaveBeenCalled();
    expect(accounts.presenceOf('corp')).toEqual({ availability: 'dnd', status: 'Presenting' });
    expect(accounts.presenceOf('home')).toEqual({ availability: 'away', status: 'Lunch' });
  });

  it('does not undo a presence the user chose by hand while away', () => {
    const accounts = accountsWith({ corp: { availability: 'available', status: '' } });
    const idle = start(accounts);
    vi.advanceTimersByTime(10 * MINUTE);
    void accounts.setPresence('corp', { availability: 'away', status: 'Gone home' });
    idle.chosenByHand('corp');
    idle.idleFor(0);
    expect(accounts.presenceOf('corp')).toEqual({ availability: 'away', status: 'Gone home' });
  });

  it('never signs in an account the user signed out', () => {
    const accounts = accountsWith({ corp: { availability: 'available', status: '' } }, { corp: { state: 'offline' } });
    const idle = start(accounts);
    vi.advanceTimersByTime(10 * MINUTE);
    idle.idleFor(0);
    expect(accounts.setPresence).not.toHaveBeenCalled();
  });

  it('goes away when the screen locks, and back when it unlocks', () => {
    const accounts = accountsWith({ corp: { availability: 'available', status: '' } });
    const idle = start(accounts);
    idle.lockScreen();
    expect(accounts.presenceOf('corp')?.availability).toBe('away');
    idle.unlockScreen();
    expect(accounts.presenceOf('corp')?.availability).toBe('available');
  });

  it('never goes away with the setting at 0, and comes back when it is set to 0 while away', () => {
    const accounts = accountsWith({ corp: { availability: 'available', status: '' } });
    const idle = start(accounts);
    vi.advanceTimersByTime(10 * MINUTE);
    expect(idle.isAway).toBe(true);
    awayAfterMinutes = 0;
    idle.settingsChanged();
    expect(accounts.presenceOf('corp')?.availability).toBe('available');
    idle.lockScreen();
    vi.advanceTimersByTime(60 * MINUTE);
    expect(accounts.presenceOf('corp')?.availability).toBe('available');
  });

  it('follows a shorter setting from the activity already past', () => {
    const accounts = accountsWith({ corp: { availability: 'available', status: '' } });
    const idle = start(accounts);
    vi.advanceTimersByTime(3 * MINUTE);
    awayAfterMinutes = 2;
    idle.settingsChanged();
    expect(accounts.presenceOf('corp')?.availability).toBe('away');
  });
});
