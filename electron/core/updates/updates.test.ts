import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventHub } from '../events.js';
import { NoticeBoard } from '../notices.js';
import type { UpdateChannel, UpdatePlan } from './plan.js';
import { runUpdates, type Updater } from './updates.js';

const everyFourHours = 4 * 60 * 60 * 1000;

/** An updater that counts checks and lets the test say what the download and the network did. */
class FakeUpdater implements Updater {
  checks = 0;
  channel: UpdateChannel | undefined;
  #downloaded: (version: string) => void = () => {};
  #failed: (error: Error) => void = () => {};

  setChannel(channel: UpdateChannel): void {
    this.channel = channel;
  }
  check(): void {
    this.checks += 1;
  }
  onDownloaded(listener: (version: string) => void): void {
    this.#downloaded = listener;
  }
  onError(listener: (error: Error) => void): void {
    this.#failed = listener;
  }
  download(version: string): void {
    this.#downloaded(version);
  }
  fail(error: Error): void {
    this.#failed(error);
  }
}

function run(plan: UpdatePlan) {
  const updater = new FakeUpdater();
  const notices = new NoticeBoard(new EventHub());
  const ready: string[] = [];
  const log: string[] = [];
  runUpdates({ plan, updater, notices, onReady: (version) => ready.push(version), log: (line) => log.push(line) });
  return { updater, notices: () => notices.list().map(({ level, message }) => `${level}: ${message}`), ready, log };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("Burrow's own updates", () => {
  it('checks at once and again every four hours, on the pinned channel', () => {
    const { updater, log } = run({ check: true, channel: 'beta', everyMs: everyFourHours });
    expect(updater.channel).toBe('beta');
    expect(updater.checks).toBe(1);
    vi.advanceTimersByTime(everyFourHours);
    expect(updater.checks).toBe(2);
    expect(log).toEqual(['Updates: checking now and every 4 hours on the beta channel.']);
  });

  it('keeps the channel of the installed version when none is pinned', () => {
    expect(run({ check: true, channel: undefined, everyMs: everyFourHours }).updater.channel).toBeUndefined();
  });

  it('tells the user once an update is ready, offers the restart, and stops checking', () => {
    const { updater, notices, ready } = run({ check: true, channel: undefined, everyMs: everyFourHours });
    updater.download('0.2.0');
    expect(notices()).toEqual(['info: Burrow 0.2.0 has been downloaded. It is installed when you quit Burrow, or now with Help › Restart to Update.']);
    expect(ready).toEqual(['0.2.0']);
    vi.advanceTimersByTime(3 * everyFourHours);
    expect(updater.checks).toBe(1);
  });

  it('logs a failed check without troubling the user, and tries again on the next turn', () => {
    const { updater, notices, log } = run({ check: true, channel: undefined, everyMs: everyFourHours });
    updater.fail(new Error('net::ERR_NAME_NOT_RESOLVED'));
    expect(notices()).toEqual([]);
    expect(log).toContain('Updates: net::ERR_NAME_NOT_RESOLVED. The next check is in 4 hours.');
    vi.advanceTimersByTime(everyFourHours);
    expect(updater.checks).toBe(2);
  });

  it('does nothing but say why when the plan is not to check', () => {
    const { updater, log } = run({ check: false, reason: 'turned-off-by-policy' });
    vi.advanceTimersByTime(everyFourHours);
    expect(updater.checks).toBe(0);
    expect(log).toEqual(['Updates: off, turned off by the administrator\'s policy ("updates": { "enabled": false }).']);
  });
});
