import type { NewMessage } from '../history.js';

/** Bob's message number `n`, as it came in live: one second after the one before it, with its own archive id. */
export function fromBobNumbered(n: number, body = `message ${n}`): NewMessage {
  return {
    peer: 'bob@example.org',
    direction: 'in',
    body,
    at: new Date(Date.UTC(2026, 10, 22, 10, 0, n)).toISOString(),
    sentAt: null,
    originId: null,
    stanzaId: `s-${n}`,
    state: 'received',
  };
}
