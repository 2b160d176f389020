import { describe, expect, it } from 'vitest';
import { dayBegunAt, dayLabel } from './days.js';

const local = (year: number, month: number, day: number, hour = 12) => new Date(year, month - 1, day, hour);

describe('day separators', () => {
  const now = local(2026, 3, 12, 9);

  it('says Today, Yesterday, a weekday within the week, and the date before that', () => {
    expect(dayLabel(local(2026, 3, 12, 0), now)).toBe('Today');
    expect(dayLabel(local(2026, 3, 11, 23), now)).toBe('Yesterday');
    expect(dayLabel(local(2026, 3, 9), now)).toBe(local(2026, 3, 9).toLocaleDateString(undefined, { weekday: 'long' }));
    expect(dayLabel(local(2026, 2, 1), now)).toContain('1');
    expect(dayLabel(local(2025, 12, 31), now)).toContain('2025');
    expect(dayLabel(local(2026, 2, 1), now)).not.toContain('2026');
  });

  it('puts one separator before the first message of each day', () => {
    const messages = [local(2026, 3, 11, 10), local(2026, 3, 11, 22), local(2026, 3, 12, 8)].map((date, index) => ({ at: date.toISOString(), index }));
    expect(messages.map((_, index) => dayBegunAt(messages, index, now))).toEqual(['Yesterday', null, 'Today']);
    expect(dayBegunAt([], 0, now)).toBeNull();
  });
});
