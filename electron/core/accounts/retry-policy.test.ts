import { describe, expect, it } from 'vitest';

import { retryDelayMs, retryPolicy } from './retry-policy.js';

/** The largest delay each time: the ceiling of the jitter. */
const highest = () => 0.999_999;

describe('the retry delay', () => {
  it('doubles its ceiling with each consecutive failure, up to the cap', () => {
    const policy = retryPolicy({ baseMs: 1000, capMs: 10_000, random: highest });
    expect([1, 2, 3, 4, 5, 6].map((failures) => retryDelayMs(failures, policy))).toEqual([999, 1999, 3999, 7999, 9999, 9999]);
  });

  it('is picked uniformly below the ceiling (full jitter)', () => {
    const randoms = [0, 0.5, 0.25];
    const policy = retryPolicy({ baseMs: 1000, capMs: 60_000, random: () => randoms.shift()! });
    expect([retryDelayMs(1, policy), retryDelayMs(2, policy), retryDelayMs(3, policy)]).toEqual([0, 1000, 1000]);
  });

  it('never overflows however long the failures go on', () => {
    expect(retryDelayMs(2000, retryPolicy({ baseMs: 1000, capMs: 30_000, random: highest }))).toBe(29_999);
  });

  it('defaults to 1 s doubling up to a minute, and 30 s for a connection to count as stable', () => {
    const { baseMs, capMs, stableMs } = retryPolicy();
    expect({ baseMs, capMs, stableMs }).toEqual({ baseMs: 1000, capMs: 60_000, stableMs: 30_000 });
  });
});
