import type { EventChannel, EventOf } from '../contract/contract.js';
import type { EventHub } from '../core/events.js';

/** Listens to one of core's event channels; returns the unsubscribe. */
export function onCoreEvent<E extends EventChannel>(events: EventHub, channel: E, listener: (payload: EventOf<E>) => void): () => void {
  return events.subscribe((name: EventChannel, payload: unknown) => {
    if (name === channel) listener(payload as EventOf<E>);
  });
}
