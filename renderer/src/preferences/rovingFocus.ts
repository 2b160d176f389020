import type { KeyboardEvent } from 'react';

/**
 * Arrow-key movement within a tab list or list box (WAI-ARIA "roving tabindex"): returns the
 * index the key moves to, wrapping around, or null for keys that do not move.
 */
export function movedIndex(event: KeyboardEvent, current: number, count: number, orientation: 'horizontal' | 'vertical'): number | null {
  const [back, forward] = orientation === 'vertical' ? ['ArrowUp', 'ArrowDown'] : ['ArrowLeft', 'ArrowRight'];
  switch (event.key) {
    case back:
      return (current - 1 + count) % count;
    case forward:
      return (current + 1) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
