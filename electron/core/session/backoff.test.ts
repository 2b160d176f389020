import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { Backoff, ReconnectScheduler } from './backoff.js';

/** The largest delay each time: the ceiling of the jitter. */
const highest = () => 0.999_999;

describe('Backoff', () => {
  it('doubles the ceiling with each failure, up to the cap', () => {
    const backoff = new Backoff({ baseMs: 1000, capMs: 10_000, random: highest });
    expect(Array.from({ length: 6 }, () => backoff.nextDelayMs())).toEqual([999, 1999, 3999, 7999, 9999, 9999]);
  });

  it('picks the delay uniformly below the ceiling (full jitter)', () => {
    const randoms = [0, 0.5, 0.25];
    const backoff = new Backoff({ baseMs: 1000, capMs: 60_000, random: () => randoms.shift()! });
    expect([backoff.nextDelayMs(), backoff.nextDelayMs(), backoff.nextDelayMs()]).toEqual([0, 1000, 1000]);
  });

  it('starts over after a success', () => {
    const backoff = new Backoff({ baseMs: 1000, random: highest });
    backoff.nextDelayMs();
    backoff.nextDelayMs();
    backoff.succeeded();
    expect(backoff.nextDelayMs()).toBe(999);
  });

  it('never overflows however long the failures go on', () => {
    const backoff = new Backoff({ baseMs: 1000, capMs: 30_000, random: highest });
    for (let index = 0; index < 2000; index += 1) backoff.nextDelayMs();
    expect(backoff.nextDelayMs()).toBe(29_999);
  });
});

describe('ReconnectScheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('reconnects after the backoff delay', () => {
    const reconnect = vi.fn();
    const scheduler = new ReconnectScheduler(reconnect, new Backoff({ baseMs: 1000, random: highest }));

    expect(scheduler.failed()).toBe(999);
    vi.advanceTimersByTime(998);
    expect(reconnect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(reconnect).toHaveBeenCalledOnce();

    expect(scheduler.failed()).toBe(1999);
  });

  it('reconnects at once on a network change, with the backoff started over', () => {
    const reconnect = vi.fn();
    const scheduler = new ReconnectScheduler(reconnect, new Backoff({ baseMs: 1000, random: highest }));
    scheduler.failed();
    scheduler.failed();

    scheduler.networkChanged();
    vi.advanceTimersByTime(0);

    expect(reconnect).toHaveBeenCalledOnce();
    expect(scheduler.failed()).toBe(999);
  });

  it('keeps at most one attempt pending and none after a success or a stop', () => {
    const reconnect = vi.fn();
    const scheduler = new ReconnectScheduler(reconnect, new Backoff({ baseMs: 1000, random: highest }));
    scheduler.failed();
    scheduler.networkChanged();
    vi.advanceTimersByTime(60_000);
    expect(reconnect).toHaveBeenCalledOnce();

    scheduler.failed();
    scheduler.succeeded();
    scheduler.failed();
    scheduler.stop();
    scheduler.networkChanged();
    vi.advanceTimersByTime(60_000);
    expect(reconnect).toHaveBeenCalledOnce();
  });
});
