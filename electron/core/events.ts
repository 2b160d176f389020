import type { EventChannel, EventOf } from '../contract/contract.js';
import { validateEvent } from '../contract/validate.js';

export type EventListener = <E extends EventChannel>(channel: E, payload: EventOf<E>) => void;

/** Fans core events out to every connected UI (Electron windows, browser-mode sockets). */
export class EventHub {
  readonly #listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Listens to one channel; returns the unsubscribe. */
  on<E extends EventChannel>(channel: E, listener: (payload: EventOf<E>) => void): () => void {
    return this.subscribe((name: EventChannel, payload: unknown) => {
      if (name === channel) listener(payload as EventOf<E>);
    });
  }

  emit<E extends EventChannel>(channel: E, payload: EventOf<E>): void {
    const checked = validateEvent(channel, payload);
    for (const listener of this.#listeners) listener(channel, checked);
  }
}
