import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { coalesced } from './coalesced.js';

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('a coalesced task', () => {
  it('runs at once when it has not run lately', () => {
    const task = vi.fn();
    const call = coalesced(task, 250);

    call();
    expect(task).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(1_000);
    call();
    expect(task).toHaveBeenCalledTimes(2);
  });

  it('runs once more at the end of the interval for a thousand calls within it', () => {
    const task = vi.fn();
    const call = coalesced(task, 250);

    for (let i = 0; i < 1_000; i++) call();
    expect(task).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(249);
    expect(task).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(1);
    expect(task).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(10_000);
    expect(task).toHaveBeenCalledTimes(2);
  });

  it('runs a waiting call at once when flushed, and nothing when none waits', () => {
    const task = vi.fn();
    const call = coalesced(task, 250);
    call();
    call.flush();
    expect(task).toHaveBeenCalledOnce();

    call();
    call.flush();
    expect(task).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1_000);
    expect(task).toHaveBeenCalledTimes(2);
  });
});
