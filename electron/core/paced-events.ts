/**
 * Back-pressure towards one page (a browser-mode socket, an Electron window): events go out at once
 * while the page keeps up; while it is busy they are held, one per item — a contact's, a message's,
 * an account's latest state takes the place of the one held before, and roster deltas merge — and go
 * out when it drains. What is held is bounded by the number of items, however many events come, and
 * the latest state of each item always arrives. The browser-mode host and Electron's main process
 * both pace their pages with it; each says how it knows its page is busy, and when it drained.
 */
import type { ContactView, EventChannel, EventOf, MessageRequestView, OccupantView } from '../contract/contract.js';
import { GatheredChanges } from '../contract/keyed-changes.js';

export interface PagedConsumer {
  /** Hands one event to the page. */
  deliver<E extends EventChannel>(channel: E, payload: EventOf<E>): void;
  /** The page has not taken what it was handed yet: more would only pile up. */
  busy(): boolean;
}

/** Events about one item, held: the latest, or for a delta channel all of them gathered as one. */
interface Held<E extends EventChannel> {
  add(payload: EventOf<E>): void;
  payload(): EventOf<E>;
}

interface Holding<E extends EventChannel> {
  /** Events with the same key are about the same item (or, for a delta, the same list). */
  key: (payload: EventOf<E>) => string;
  /** How they are held; by default the latest replaces the one before. */
  hold?: () => Held<E>;
}

function latest<E extends EventChannel>(): Held<E> {
  let held: EventOf<E> | undefined;
  return {
    add: (payload) => void (held = payload),
    payload: () => held as EventOf<E>,
  };
}

const itself = (jid: string) => jid;

function gatheredRosterDeltas(): Held<'roster:delta'> {
  let communityId = '';
  const contacts = new GatheredChanges<ContactView>(({ jid }) => jid);
  const requests = new GatheredChanges<string>(itself);
  return {
    add: (delta) => {
      communityId = delta.communityId;
      contacts.add(delta);
      requests.add({ upserted: delta.requestsAdded, removed: delta.requestsRemoved });
    },
    payload: () => {
      const { upserted, removed } = requests.changes();
      return { communityId, ...contacts.changes(), requestsAdded: upserted, requestsRemoved: removed };
    },
  };
}

function gatheredMessageRequestDeltas(): Held<'messageRequests:delta'> {
  let communityId = '';
  const requests = new GatheredChanges<MessageRequestView>(({ peer }) => peer);
  return {
    add: (delta) => {
      communityId = delta.communityId;
      requests.add(delta);
    },
    payload: () => ({ communityId, ...requests.changes() }),
  };
}

function gatheredOccupantDeltas(): Held<'room:occupants'> {
  let place = { communityId: '', room: '' };
  const occupants = new GatheredChanges<OccupantView>(({ nick }) => nick);
  return {
    add: ({ communityId, room, ...delta }) => {
      place = { communityId, room };
      occupants.add(delta);
    },
    payload: () => ({ ...place, ...occupants.changes() }),
  };
}

/** How each channel's events are held: every channel must say, so a new one is never held unbounded. */
const holding: { [E in EventChannel]: Holding<E> } = {
  'app:notice': { key: ({ id }) => id },
  'settings:changed': { key: () => '' },
  'connection:testProgress': { key: ({ communityId, attempt }) => `${communityId} ${attempt.attempt}` },
  'menu:command': { key: ({ command }) => command },
  'account:changed': { key: ({ communityId }) => communityId },
  'roster:delta': { key: ({ communityId }) => communityId, hold: gatheredRosterDeltas },
  'chat:message': { key: ({ communityId, peer, id }) => `${communityId} ${peer} ${id}` },
  'chat:conversation': { key: ({ communityId, peer }) => `${communityId} ${peer}` },
  'chat:peerState': { key: ({ communityId, peer }) => `${communityId} ${peer}` },
  'messageRequests:delta': { key: ({ communityId }) => communityId, hold: gatheredMessageRequestDeltas },
  'files:progress': { key: ({ communityId, transferId }) => `${communityId} ${transferId}` },
  'room:changed': { key: ({ communityId, room }) => `${communityId} ${room}` },
  'room:occupants': { key: ({ communityId, room }) => `${communityId} ${room}`, hold: gatheredOccupantDeltas },
  'room:invitation': { key: ({ communityId, room, from }) => `${communityId} ${room} ${from ?? ''}` },
  'avatars:changed': { key: ({ communityId, jid }) => `${communityId} ${jid}` },
};

interface HeldEvent {
  channel: EventChannel;
  held: Held<EventChannel>;
}

export class PacedEvents {
  /** In the order they are to go out: an item held again goes after what was held meanwhile. */
  readonly #held = new Map<string, HeldEvent>();

  constructor(private readonly page: PagedConsumer) {}

  /** How many items wait for the page. */
  get held(): number {
    return this.#held.size;
  }

  send<E extends EventChannel>(channel: E, payload: EventOf<E>): void {
    if (this.#held.size === 0 && !this.page.busy()) return this.page.deliver(channel, payload);
    const { key, hold = latest } = holding[channel] as unknown as Holding<E>;
    const heldKey = `${channel} ${key(payload)}`;
    const earlier = this.#held.get(heldKey);
    this.#held.delete(heldKey);
    const held = (earlier?.held ?? hold()) as Held<E>;
    held.add(payload);
    this.#held.set(heldKey, { channel, held: held as unknown as Held<EventChannel> });
  }

  /** The page may have room again: what is held goes out, for as long as it keeps up. */
  drain(): void {
    for (const [key, { channel, held }] of this.#held) {
      if (this.page.busy()) return;
      this.#held.delete(key);
      this.page.deliver(channel, held.payload());
    }
  }
}
