import { describe, expect, it, vi } from 'vitest';

import { withTimeout } from './with-timeout.js';

describe('withTimeout', () => {
  it('settles as the work does when it finishes in time, and leaves no timer behind', async () => {
    vi.useFakeTimers();
    try {
      await expect(withTimeout(Promise.resolve('done'), 1_000, () => new Error('late'))).resolves.toBe('done');
      await expect(withTimeout(Promise.reject(new Error('refused')), 1_000, () => new Error('late'))).rejects.toThrow('refused');
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects with the given error once the time is up', async () => {
    vi.useFakeTimers();
    try {
      const never = new Promise<never>(() => {});
      const late = withTimeout(never, 1_000, () => new Error('no answer within 1000 ms'));
      const checked = expect(late).rejects.toThrow('no answer within 1000 ms');
      await vi.advanceTimersByTimeAsync(1_000);
      await checked;
    } finally {
      vi.useRealTimers();
    }
  });
});
