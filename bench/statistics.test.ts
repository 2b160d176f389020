import { describe, expect, it } from 'vitest';

import { median, percentile, ratio } from './statistics.js';

describe('the bench statistics', () => {
  it('takes the middle sample, or the mean of the two middle ones', () => {
    expect(median([30, 10, 20])).toBe(20);
    expect(median([40, 10, 30, 20])).toBe(25);
    expect(median([])).toBeNull();
  });

  it('takes the nearest-rank percentile: the p99 of 100 samples is the 99th smallest, not the largest', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNull();
  });

  it('rounds times to a tenth of a millisecond and ratios to hundredths, with no ratio to nothing', () => {
    expect(median([1.2345])).toBe(1.2);
    expect(ratio(113.4, 109.7)).toBe(1.03);
    expect(ratio(1, 0)).toBeNull();
    expect(ratio(null, 3)).toBeNull();
  });
});
