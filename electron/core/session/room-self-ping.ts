/**
 * Whether the user is still in each room (XEP-0410, MUC self-ping). A room can drop an occupant
 * without a word — its server restarted, the link between servers broke — and Burrow would go on
 * showing a room that no longer sends it anything. So after a room has been quiet a while, and
 * after a resumed stream (whose break the room may not have survived), Burrow pings its own
 * occupant JID there: the room answers for an occupant it has, and refuses one it does not.
 */
import { StanzaError } from '../stream/iq-caller.js';
import { NS_PING } from './stanzas/namespaces.js';
import { xml } from './stanzas/xml.js';
import type { Element } from './stanzas/xml.js';

/** A room quiet this long is asked whether the user is still in it (XEP-0410 suggests 5 to 15 minutes). */
export const selfPingQuietMs = 5 * 60_000;
/** How long the room may take to answer. */
export const selfPingTimeoutMs = 30_000;
/** A room that could not be reached is asked again after this long. */
export const selfPingRetryMs = 60_000;

/** What the room's answer says: the user is in, out (to enter again), or the room could not be reached (ask later). */
export type SelfPingVerdict = 'in' | 'out' | 'unreachable';

/**
 * XEP-0410 §3.2: a result, or an error that the occupant (the user's own client) or the room gives
 * for an occupant it has, means in; no answer, or a server on the way unreachable, says nothing;
 * any other error (a room's `not-acceptable`, above all) means out.
 */
const stillIn = new Set(['service-unavailable', 'feature-not-implemented', 'item-not-found']);
const unreachable = new Set(['remote-server-not-found', 'remote-server-timeout']);

export function selfPingVerdict(outcome: { answer: Element } | { error: unknown }): SelfPingVerdict {
  if ('answer' in outcome) return 'in';
  if (!(outcome.error instanceof StanzaError)) return 'unreachable';
  const { condition } = outcome.error;
  if (stillIn.has(condition)) return 'in';
  return unreachable.has(condition) ? 'unreachable' : 'out';
}

export function selfPing(room: string, nick: string): Element {
  return xml('iq', { type: 'get', to: `${room}/${nick}` }, xml('ping', { xmlns: NS_PING }));
}

export interface RoomSelfPingOptions {
  now: () => number;
  /** Sends the self-ping for `room`; rejects as an iq request does (a StanzaError for an error answer). */
  ping: (room: string) => Promise<Element>;
  /** The stream is up: a check falling due while it is down waits for the next resume. */
  online: () => boolean;
  /** The room no longer has the user. */
  out: (room: string) => void;
  quietMs?: number;
  retryMs?: number;
}

interface Watched {
  heardAt: number;
  timer: NodeJS.Timeout | undefined;
  pinging: boolean;
}

/** One timer per room the user is in, at most, and one self-ping in flight per room. */
export class RoomSelfPing {
  private readonly watched = new Map<string, Watched>();
  private readonly quietMs: number;
  private readonly retryMs: number;

  constructor(private readonly options: RoomSelfPingOptions) {
    this.quietMs = options.quietMs ?? selfPingQuietMs;
    this.retryMs = options.retryMs ?? selfPingRetryMs;
  }

  /** The user is in `room`: checked once it has been quiet a while. */
  watch(room: string): void {
    this.unwatch(room);
    const watched: Watched = { heardAt: this.options.now(), timer: undefined, pinging: false };
    this.watched.set(room, watched);
    this.arm(room, watched, this.quietMs);
  }

  unwatch(room: string): void {
    clearTimeout(this.watched.get(room)?.timer);
    this.watched.delete(room);
  }

  unwatchAll(): void {
    for (const room of [...this.watched.keys()]) this.unwatch(room);
  }

  /** Something came from `room`: it still has the user, for now. */
  heard(room: string): void {
    const watched = this.watched.get(room);
    if (watched) watched.heardAt = this.options.now();
  }

  /** Checks every room now (the stream was resumed: a room may have lost the user in the break). */
  checkAll(): void {
    for (const room of this.watched.keys()) void this.check(room);
  }

  /** Checks `room` now (it bounced a message as if the user were not in it). */
  checkNow(room: string): void {
    void this.check(room);
  }

  private arm(room: string, watched: Watched, delayMs: number): void {
    clearTimeout(watched.timer);
    watched.timer = setTimeout(() => this.due(room, watched), delayMs);
    watched.timer.unref?.();
  }

  /** A room's timer went off: checked if it has stayed quiet, else the timer goes again from what it last heard. */
  private due(room: string, watched: Watched): void {
    watched.timer = undefined;
    if (this.watched.get(room) !== watched || !this.options.online()) return;
    const quietFor = this.options.now() - watched.heardAt;
    if (quietFor < this.quietMs) return this.arm(room, watched, this.quietMs - quietFor);
    void this.check(room);
  }

  private async check(room: string): Promise<void> {
    const watched = this.watched.get(room);
    if (!watched || watched.pinging || !this.options.online()) return;
    watched.pinging = true;
    clearTimeout(watched.timer);
    const verdict = await this.options.ping(room).then(
      (answer) => selfPingVerdict({ answer }),
      (error: unknown) => selfPingVerdict({ error }),
    );
    watched.pinging = false;
    // Left, or entered again, while the ping was out: that entry's own timer is what counts.
    if (this.watched.get(room) !== watched) return;
    if (verdict === 'out') {
      this.unwatch(room);
      return this.options.out(room);
    }
    if (verdict === 'in') watched.heardAt = this.options.now();
    // An unreachable room is asked again sooner; one that stopped being asked as the stream went waits for the resume.
    if (this.options.online()) this.arm(room, watched, verdict === 'in' ? this.quietMs : this.retryMs);
  }
}

