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

/**
 * The label of the day the item at `index` begins, or null when it is on the same day as the one
 * before: the separator above it. Only the rows in view ask, so a long conversation is never gone
 * through as a whole for its separators.
 */
export function dayBegunAt(items: readonly { at: string }[], index: number, now: Date): string | null {
  const item = items[index];
  if (!item) return null;
  const date = new Date(item.at);
  const before = items[index - 1];
  if (before && startOfDay(new Date(before.at)) === startOfDay(date)) return null;
  return dayLabel(date, now);
}

export function timeOfDay(at: string): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}
