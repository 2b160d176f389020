import { useEffect } from 'react';

/**
 * Escape anywhere in the window cancels it, as in a desktop dialog — unless something inside
 * took the key for itself first (an open dialog, a field restoring its value) or an input
 * method is composing.
 */
export function useEscapeToCancel(cancel: () => void): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !event.defaultPrevented && !event.isComposing) cancel();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [cancel]);
}
