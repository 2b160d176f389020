// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IDLE_REPORT_EVERY_MS, reportIdleTime } from './idleReport.js';

let stop: (() => void) | undefined;
beforeEach(() => vi.useFakeTimers());
afterEach(() => {
  stop?.();
  vi.useRealTimers();
});

describe("the page's idle report", () => {
  it('tells how long the page has been left untouched, growing while nobody touches it', () => {
    const report = vi.fn();
    stop = reportIdleTime(report);
    expect(report).toHaveBeenLastCalledWith(0);
    vi.advanceTimersByTime(IDLE_REPORT_EVERY_MS * 3);
    expect(report).toHaveBeenLastCalledWith(IDLE_REPORT_EVERY_MS * 3);
  });

  it('tells the first key press after an idle report at once, as activity', () => {
    const report = vi.fn();
    stop = reportIdleTime(report);
    vi.advanceTimersByTime(IDLE_REPORT_EVERY_MS);
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    expect(report).toHaveBeenLastCalledWith(0);
    const told = report.mock.calls.length;
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'b' }));
    expect(report).toHaveBeenCalledTimes(told);
  });

  it('counts the page coming back into view as activity', () => {
    const report = vi.fn();
    stop = reportIdleTime(report);
    vi.advanceTimersByTime(IDLE_REPORT_EVERY_MS * 2);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(report).toHaveBeenLastCalledWith(0);
  });

  it('stops telling once stopped', () => {
    const report = vi.fn();
    reportIdleTime(report)();
    vi.advanceTimersByTime(IDLE_REPORT_EVERY_MS * 2);
    expect(report).toHaveBeenCalledTimes(1);
  });
});
