import { useSyncExternalStore } from 'react';

/**
 * Narrower than the contacts beside a usable conversation. In em, which media queries take from
 * the user's text size, so larger text switches to one pane just as a narrow window or zoom does.
 */
const SINGLE_PANE_QUERY = '(max-width: 38em)';

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(SINGLE_PANE_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** True when the chat window shows one pane at a time: the contacts, or the open conversation. */
export function useSinglePane(): boolean {
  return useSyncExternalStore(subscribe, () => window.matchMedia(SINGLE_PANE_QUERY).matches);
}
