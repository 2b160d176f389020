/** Day separators of a conversation, in the user's time zone. */

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** "Today", "Yesterday", the weekday within the past week, then the full date. */
export function dayLabel(date: Date, now: Date): string {
  const days = Math.round((startOfDay(now) - startOfDay(date)) / 86_400_000);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days > 1 && days < 7) return date.toLocaleDateString(undefined, { weekday: 'long' });
  return date.toLocaleDateString(undefined, {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(date.getFullYear() === now.getFullYear() ? {} : { year: 'numeric' }),
  });
}

export type Dated<T> = { kind: 'day'; key: string; label: string } | { kind: 'item'; item: T };

/** Each item's day, worked out once: a long conversation is gone through again on every new message. */
const daysOf = new WeakMap<object, number>();

function dayOf(item: { at: string }): number {
  let day = daysOf.get(item);
  if (day === undefined) {
    day = startOfDay(new Date(item.at));
    daysOf.set(item, day);
  }
  return day;
}

/** The items with a day separator before the first item of each day. */
export function withDaySeparators<T extends { at: string }>(items: readonly T[], now: Date): Dated<T>[] {
  const result: Dated<T>[] = [];
  let lastDay: number | null = null;
  for (const item of items) {
    const day = dayOf(item);
    if (day !== lastDay) {
      result.push({ kind: 'day', key: `day ${day}`, label: dayLabel(new Date(item.at), now) });
      lastDay = day;
    }
    result.push({ kind: 'item', item });
  }
  return result;
}

export function timeOfDay(at: string): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
