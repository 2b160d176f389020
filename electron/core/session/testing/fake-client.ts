/**
 * An in-process stand-in for the stream layer's `XmppStream`, enough for the session: it records
 * what is sent, lets a test deliver stanzas and acknowledge them, and signs in fresh, resumes, or
 * fails as told. It models stream management as the stream layer exposes it (an unacknowledged
 * queue, acks, an exported state), not as any library keeps it.
 */
import { EventEmitter } from 'node:events';

import { ConnectionGoneError } from '../../stream/errors.js';
import type { ResumableState } from '../../stream/stream-management.js';
import type { SignedIn, SignInOptions, XmppStreamEvents } from '../../stream/xmpp-stream.js';
import type { SessionClient } from '../session.js';
import { parseXml } from '../stanzas/xml.js';
import type { Element } from '../stanzas/xml.js';

export type IqResponder = (iq: Element) => Element | Promise<Element>;

export class FakeClient extends EventEmitter<XmppStreamEvents> implements SessionClient {
  /** What the session sent, in order (iq requests are in `requests`). */
  readonly sent: Element[] = [];
  readonly requests: Element[] = [];
  /** What the server answers to iq requests; the default knows the roster, carbons and an empty archive. */
  respond: IqResponder = defaultResponder;
  connectionLost = false;
  dropped = false;
  stopped = false;
  ackRequests = 0;
  /** The state the session asked this connection to resume (null: it asked for a fresh stream). */
  resumeAsked: ResumableState | null = null;
  /** The resource asked for, should the stream start afresh (undefined: the server's choice). */
  resourceAsked: string | undefined;
  /** Like a server slow to answer `<enable/>`: stream management is on only after `answerEnable`. */
  answersEnableLater = false;
  /** Like a server slow to bind (or to take a stream back): signing in waits for `answerBind`. */
  bindsLater = false;
  /** Like a server slow with the roster, which comes first on a new stream: its answer waits for `answerRoster`. */
  answersRosterLater = false;
  managed = false;
  lastHeardAt = Date.now();
  /** By when the server promised to answer a request it holds (a BOSH path); null: no such promise. */
  answerDueAt: number | null = null;
  lastAckAt: number | null = null;
  heardSinceResumed = 0;
  ackRequestedAt: number | null = null;
  roundTripMs: number | null = null;
  #queue: Element[] = [];
  #id = 'stream-2';
  #jid = 'alice@example.org/fresh';
  #answerEnable = () => {};
  #answerBind = () => {};
  #answerRoster = () => {};

  constructor(private readonly signIn: 'fresh' | 'resumed' | { fails: string | Error } = 'fresh') {
    super();
  }

  get endedHere(): boolean {
    return this.dropped || this.stopped;
  }

  async authenticate(_credentials: unknown, options: SignInOptions = {}): Promise<SignedIn> {
    this.resumeAsked = options.resume ?? null;
    this.resourceAsked = options.resource;
    if (typeof this.signIn === 'object') throw typeof this.signIn.fails === 'string' ? new Error(this.signIn.fails) : this.signIn.fails;
    if (this.bindsLater) await new Promise<void>((resolve) => (this.#answerBind = resolve));
    const previous = this.resumeAsked;
    const unacknowledged = previous?.unacknowledged.map((text) => parseXml(text)!) ?? [];
    if (this.signIn === 'resumed' && previous) {
      // The resumed stream sends again, itself, what the server never acknowledged.
      this.managed = true;
      this.#id = previous.id;
      this.#jid = previous.jid;
      this.#queue = unacknowledged;
      return { mechanism: 'PLAIN', outcome: 'resumed' };
    }
    const answered = this.answersEnableLater ? new Promise<void>((resolve) => (this.#answerEnable = resolve)) : Promise.resolve();
    const managed = answered.then(() => (this.managed = true));
    return { mechanism: 'PLAIN', outcome: 'fresh', notDelivered: unacknowledged, managed };
  }

  async send(stanza: Element): Promise<void> {
    if (this.connectionLost) throw new ConnectionGoneError();
    this.sent.push(stanza);
    if (this.managed && ['message', 'presence', 'iq'].includes(stanza.name)) this.#queue.push(stanza);
  }

  async request(iq: Element): Promise<Element> {
    this.requests.push(iq);
    if (this.answersRosterLater && iq.getChild('query', 'jabber:iq:roster')) await new Promise<void>((resolve) => (this.#answerRoster = resolve));
    return this.respond(iq);
  }

  requestAck(): void {
    this.ackRequests += 1;
    this.ackRequestedAt ??= Date.now();
  }

  unacknowledged(): Element[] {
    return [...this.#queue];
  }

  exportState(): ResumableState | null {
    if (!this.managed) return null;
    const unacknowledged = this.#queue.map(String);
    return { id: this.#id, jid: this.#jid, inbound: 0, outbound: 0, unacknowledged, location: null, max: null, resumedAt: null };
  }

  drop(): void {
    this.dropped = true;
    this.disconnect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
  }

  answerBind(): void {
    this.#answerBind();
  }

  answerRoster(): void {
    this.#answerRoster();
  }

  answerEnable(): void {
    this.#answerEnable();
  }

  /** The connection goes. */
  disconnect(): void {
    this.emit('disconnect');
  }

  /** Something came from the server. */
  hear(): void {
    this.lastHeardAt = Date.now();
  }

  /** The server acknowledges the oldest `count` unacknowledged stanzas, as `<a h/>` does. */
  acknowledge(count: number): void {
    this.hear();
    this.lastAckAt = Date.now();
    this.ackRequestedAt = null;
    for (const stanza of this.#queue.splice(0, count)) this.emit('ack', stanza);
    this.emit('acknowledged');
  }

  deliver(text: string): void {
    this.hear();
    this.heardSinceResumed += 1;
    this.emit('stanza', parseXml(text)!);
  }

  sentText(): string[] {
    return this.sent.map((stanza) => stanza.toString());
  }

  sentMessages(): { to: string | undefined; body: string | null; originId: string | undefined }[] {
    return this.sent
      .filter((stanza) => stanza.is('message') && stanza.getChild('body'))
      .map((stanza) => ({ to: stanza.attrs.to, body: stanza.getChildText('body'), originId: stanza.attrs.id }));
  }
}

/** The server's default answers: a roster with Bob, an empty archive, a plain result to anything else. */
function defaultResponder(iq: Element): Element {
  const [query] = iq.getChildElements();
  if (query?.attrs.xmlns === 'jabber:iq:roster' && iq.attrs.type === 'get') {
    return parseXml('<iq type="result"><query xmlns="jabber:iq:roster"><item jid="bob@example.org" name="Bob" subscription="both"/></query></iq>')!;
  }
  if (query?.attrs.xmlns === 'urn:xmpp:mam:2') return parseXml('<iq type="result"><fin xmlns="urn:xmpp:mam:2" complete="true"/></iq>')!;
  return parseXml('<iq type="result"/>')!;
}
