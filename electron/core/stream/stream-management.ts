// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="./xmpp.d.ts" />
/**
 * Stream management (XEP-0198), Burrow's own: enabling it with resumption, counting stanzas both
 * ways (modulo 2^32), acknowledgements, and resuming a stream on a new connection over any
 * transport from the plain-data state the old one exported.
 */
import { EventEmitter } from 'node:events';

import type { Middleware } from '@xmpp/middleware';

import { parseXml, xml } from './xml.js';
import type { Element } from './xml.js';

export const NS_SM = 'urn:xmpp:sm:3';
const NS_DELAY = 'urn:xmpp:delay';
const MODULUS = 2 ** 32;
/** How many recent ack round trips the path's round trip is the least of. */
const roundTripWindow = 8;

/** What a new connection needs to resume a stream: plain data, so it can cross any transport. */
export interface ResumableState {
  /** The server's id for the stream (`previd` on resuming). */
  id: string;
  /** The full JID the stream was bound to; a resumed stream keeps it. */
  jid: string;
  /** Stanzas received from the server (the `h` sent on resuming), modulo 2^32. */
  inbound: number;
  /** Stanzas the server has acknowledged, modulo 2^32. */
  outbound: number;
  /** Stanzas sent but not yet acknowledged, serialized, oldest first. */
  unacknowledged: string[];
  /** Where the server would rather have the stream resumed (`location`), if it said. */
  location: string | null;
  /** How many seconds the server keeps the stream after the connection goes (`max`), if it said. */
  max: number | null;
  /** When the stream was last resumed (ms since the epoch), if it was. */
  resumedAt: number | null;
}

/** A resumed stream has re-sent itself what it had unacknowledged; a failed resume hands it back. */
export type ResumeOutcome = { resumed: true } | { resumed: false; notDelivered: Element[] };

/** The server let `deadlineMs` pass without answering a request to resume, or (null) closed the connection instead. */
export class ResumeUnansweredError extends Error {
  override name = 'ResumeUnansweredError';
  constructor(readonly deadlineMs: number | null) {
    super(
      deadlineMs === null
        ? 'the server closed the connection instead of answering the request to resume the stream'
        : `the server did not answer the request to resume the stream within ${deadlineMs} ms`,
    );
  }
}

export interface StreamManagementOptions {
  /** How long after a stanza goes out an ack is requested, so that a run of them shares one request. */
  ackRequestDelayMs?: number;
  /**
   * A long run asks at once after every this many stanzas: the server answers as it works through
   * them, so a path busy with a backlog is not taken for a silent one.
   */
  ackRequestEvery?: number;
  now?: () => number;
}

export interface StreamManagementEvents {
  /** The server has this stanza, one event per stanza, in the order they were sent. */
  ack: [stanza: Element];
  /** An `<a/>` arrived. */
  acknowledged: [];
}

interface Entity extends EventEmitter {
  send(element: Element): Promise<void>;
}

interface Expectation {
  names: ReadonlySet<string>;
  answer(element: Element | Error): void;
}

/**
 * off; enabling: `<enable/>` is sent and its answer not in, and what goes out after it is counted
 * already (the server counts from `<enable/>`); enabled: after `<enabled/>` or `<resumed/>`.
 */
type Counting = 'off' | 'enabling' | 'enabled';

export class StreamManagement extends EventEmitter<StreamManagementEvents> {
  #counting: Counting = 'off';
  /** The stream can be resumed by this id. */
  id: string | null = null;
  inbound = 0;
  outbound = 0;
  location: string | null = null;
  max: number | null = null;
  resumedAt: number | null = null;
  /** When anything last came from the server. */
  lastHeardAt: number;
  /**
   * New stanzas the server has sent since its `<resumed/>`: not `<r/>` or `<a/>`, and not what it
   * re-sends from its queue (stamped with a delay). Prosody 0.12 keeps a BOSH stream taken over by
   * TCP alive with those alone while it delivers nothing new.
   */
  heardSinceResumed = 0;
  /** When the last `<a/>` came (null: none on this connection yet). */
  lastAckAt: number | null = null;
  /** Since when an ack request is unanswered (null: none is). */
  ackRequestedAt: number | null = null;
  /** The path's round trip, from `<r/>` to `<a/>`: the least of the last few (null: not measured yet). */
  roundTripMs: number | null = null;
  #roundTripSamples: number[] = [];

  #queue: Element[] = [];
  #expectation: Expectation | null = null;
  #ackRequestTimer: NodeJS.Timeout | undefined;
  readonly #now: () => number;
  readonly #ackRequestDelayMs: number;
  readonly #ackRequestEvery: number;
  /** Stanzas sent since the last ack request. */
  #sentSinceRequest = 0;

  constructor(
    private readonly entity: Entity,
    middleware: Middleware,
    options: StreamManagementOptions = {},
  ) {
    super();
    this.#now = options.now ?? Date.now;
    this.#ackRequestDelayMs = options.ackRequestDelayMs ?? 250;
    this.#ackRequestEvery = options.ackRequestEvery ?? 10;
    this.lastHeardAt = this.#now();
    // Registered before anything else that reads elements, so that it counts every stanza.
    middleware.use(({ stanza }, next) => {
      this.lastHeardAt = this.#now();
      if (this.resumedAt !== null && isStanza(stanza) && !stanza.getChild('delay', NS_DELAY)) this.heardSinceResumed += 1;
      if (stanza.attrs.xmlns === NS_SM) return this.#onNonza(stanza);
      if (this.enabled && isStanza(stanza)) this.inbound = (this.inbound + 1) % MODULUS;
      return next();
    });
    middleware.filter(({ stanza }, next) => {
      // Runs once the stanza is written.
      if (this.#counting !== 'off' && isStanza(stanza)) {
        this.#queue.push(stanza);
        this.#scheduleAckRequest();
      }
      return next();
    });
    entity.on('disconnect', () => {
      this.#cancelAckRequest();
      this.#expectation?.answer(new Error('the connection was lost'));
    });
  }

  /** Stanzas are counted and acknowledged: after `<enabled/>` or `<resumed/>`. */
  get enabled(): boolean {
    return this.#counting === 'enabled';
  }

  /** Stanzas sent but not acknowledged yet, oldest first. */
  unacknowledged(): Element[] {
    return [...this.#queue];
  }

  /**
   * A stanza is being written: after every `ackRequestEvery` of them an ack is requested at once,
   * written right behind it.
   */
  writing(stanza: Element): void {
    if (!this.enabled || !isStanza(stanza)) return;
    this.#sentSinceRequest += 1;
    if (this.#sentSinceRequest >= this.#ackRequestEvery) this.requestAck();
  }

  /**
   * Asks for `<enable resume="true"/>` without holding anything back: what is sent behind it, before
   * the answer, is counted from it, as the server counts. Resolves false when the server refuses or
   * does not answer within `timeoutMs` (nothing is counted then).
   */
  async enable(timeoutMs: number): Promise<boolean> {
    const answer = this.#expect(['enabled', 'failed'], timeoutMs, (element) => {
      if (!element.is('enabled')) return false;
      const { id, resume, max, location } = element.attrs;
      this.id = id && (resume === 'true' || resume === '1') ? id : null;
      this.max = max !== undefined && /^\d+$/.test(max) ? Number(max) : null;
      this.location = location ?? null;
      // The server counts what it sends from here.
      this.inbound = 0;
      this.resumedAt = null;
      this.#counting = 'enabled';
      return true;
    });
    this.outbound = 0;
    this.#queue = [];
    this.#counting = 'enabling';
    await this.entity.send(xml('enable', { xmlns: NS_SM, resume: 'true' }));
    const enabled = (await answer) ?? false;
    if (!enabled) {
      this.#counting = 'off';
      this.#queue = [];
    }
    return enabled;
  }

  /**
   * Asks to resume `state`'s stream, waiting up to `deadlineMs` for the answer (a server may take
   * seconds to take the old stream over). Resumed, what the server had not received goes again,
   * counted and queued like any stanza; failed, what it had not acknowledged is returned.
   */
  async resume(state: ResumableState, deadlineMs: number): Promise<ResumeOutcome> {
    let toResend: Element[] = [];
    const answer = this.#expect(['resumed', 'failed'], deadlineMs, (element): ResumeOutcome => {
      // Applied as the answer arrives: stanzas right behind it must already be counted on the resumed stream.
      this.outbound = state.outbound;
      this.#queue = unacknowledgedOf(state);
      const h = parseCount(element.attrs.h);
      if (h !== null) this.#acknowledge(h);
      if (!element.is('resumed')) {
        const notDelivered = this.#queue;
        this.#queue = [];
        this.outbound = 0;
        return { resumed: false, notDelivered };
      }
      ({ id: this.id, inbound: this.inbound, location: this.location, max: this.max } = state);
      this.resumedAt = this.#now();
      this.heardSinceResumed = 0;
      this.#counting = 'enabled';
      toResend = this.#queue;
      this.#queue = [];
      return { resumed: true };
    });
    await this.entity.send(xml('resume', { xmlns: NS_SM, previd: state.id, h: String(state.inbound) }));
    const outcome = await answer;
    if (!outcome) throw new ResumeUnansweredError(deadlineMs);
    for (const stanza of toResend) {
      const written = this.entity.send(stanza);
      this.writing(stanza);
      await written;
    }
    return outcome;
  }

  /** Sends `<r/>`; the answer updates `lastAckAt` and the round trip. */
  requestAck(): void {
    this.#cancelAckRequest();
    if (!this.enabled) return;
    this.#sentSinceRequest = 0;
    this.ackRequestedAt ??= this.#now();
    this.entity.send(xml('r', { xmlns: NS_SM })).catch(() => {});
  }

  /** What a new connection needs to resume this stream; null when it cannot be resumed. */
  exportState(jid: string | null): ResumableState | null {
    if (!this.enabled || !this.id || !jid) return null;
    const { id, inbound, outbound, location, max, resumedAt } = this;
    return { id, jid, inbound, outbound, unacknowledged: this.#queue.map(String), location, max, resumedAt };
  }

  #onNonza(element: Element): undefined {
    const expectation = this.#expectation;
    if (expectation?.names.has(element.name)) {
      expectation.answer(element);
    } else if (element.name === 'r' && this.enabled) {
      this.entity.send(xml('a', { xmlns: NS_SM, h: String(this.inbound) })).catch(() => {});
    } else if (element.name === 'a' && this.enabled) {
      const h = parseCount(element.attrs.h);
      if (h !== null) this.#acknowledge(h);
      const now = this.#now();
      if (this.ackRequestedAt !== null) this.#measureRoundTrip(now - this.ackRequestedAt);
      this.ackRequestedAt = null;
      this.lastAckAt = now;
      this.emit('acknowledged');
    }
    return undefined;
  }

  /** The server has handled `h` stanzas in all: the oldest unacknowledged ones up to there are acknowledged. */
  #acknowledge(h: number): void {
    const count = (h - this.outbound + MODULUS) % MODULUS;
    // More than was ever sent: a count from before, or a server in error. Nothing is taken for delivered on it.
    if (count > this.#queue.length) return;
    this.outbound = h;
    for (const stanza of this.#queue.splice(0, count)) this.emit('ack', stanza);
  }

  #measureRoundTrip(sampleMs: number): void {
    // The least of the recent samples: a request queued behind a backlog also measures the server's
    // work through it, which says nothing of how long the path takes.
    this.#roundTripSamples = [...this.#roundTripSamples.slice(1 - roundTripWindow), sampleMs];
    this.roundTripMs = Math.min(...this.#roundTripSamples);
  }

  /**
   * Resolves with what `apply` makes of the first of `names` to arrive (applied synchronously, before
   * any element behind it), or with null after `timeoutMs`; rejects when the connection goes.
   */
  #expect<T>(names: string[], timeoutMs: number, apply: (element: Element) => T): Promise<T | null> {
    const answer = new Promise<T | null>((resolve, reject) => {
      const timer = setTimeout(() => settle(() => resolve(null)), timeoutMs);
      const settle = (done: () => void) => {
        clearTimeout(timer);
        this.#expectation = null;
        done();
      };
      this.#expectation = {
        names: new Set(names),
        answer: (element) =>
          settle(() => {
            if (element instanceof Error) reject(element);
            else resolve(apply(element));
          }),
      };
    });
    // Awaited once the request is written; should the write fail, the connection's loss is no news.
    answer.catch(() => {});
    return answer;
  }

  /** Not pushed back by the stanzas after the first: a steady flow of them still gets acknowledged. */
  #scheduleAckRequest(): void {
    if (this.#ackRequestTimer) return;
    this.#ackRequestTimer = setTimeout(() => this.requestAck(), this.#ackRequestDelayMs);
    this.#ackRequestTimer.unref();
  }

  #cancelAckRequest(): void {
    clearTimeout(this.#ackRequestTimer);
    this.#ackRequestTimer = undefined;
  }
}

function isStanza(element: Element): boolean {
  return element.name === 'message' || element.name === 'presence' || element.name === 'iq';
}

function parseCount(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value)) return null;
  const count = Number(value);
  return count < MODULUS ? count : null;
}

/** The stanzas `state`'s stream never got acknowledged. */
export function unacknowledgedOf(state: ResumableState): Element[] {
  return state.unacknowledged.map(parseStanza);
}

function parseStanza(text: string): Element {
  const stanza = parseXml(text);
  if (!stanza) throw new Error('an unacknowledged stanza in the resumable state is not XML');
  return stanza;
}
