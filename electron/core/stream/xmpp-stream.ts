// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="./xmpp.d.ts" />
/**
 * An XMPP client stream over a socket a route has already connected. The entity is composed from
 * xmpp.js's public parts the way @xmpp/client composes them (stream features in priority order:
 * STARTTLS, SASL, then session establishment), with Burrow's own STARTTLS, resource binding and
 * stream management. It stops at the stream features until told to sign in, so that a racing
 * attempt never authenticates; it is online once bound (with stream management answered) or resumed.
 */
import { EventEmitter } from 'node:events';
import net from 'node:net';

import { Client } from '@xmpp/client-core';
import middlewareSetup from '@xmpp/middleware';
import type { SaslCredentials } from '@xmpp/sasl';
import streamFeaturesSetup from '@xmpp/stream-features';
import type { StreamFeatures } from '@xmpp/stream-features';

import { AdoptedSocket } from './adopted-socket.js';
import type { FrameSocket, SecureSocket } from './adopted-socket.js';
import { ConnectionGoneError, isRefusal, TimeoutError } from './errors.js';
import type { Refusal } from './errors.js';
import { IqCaller } from './iq-caller.js';
import { signInWhenGiven } from './sign-in.js';
import type { SignIn } from './sign-in.js';
import { startTls, upgradePending } from './starttls.js';
import { NS_SM, ResumeUnansweredError, StreamManagement, unacknowledgedOf } from './stream-management.js';
import type { ResumableState } from './stream-management.js';
import { ADOPTED_SERVICE, adoptingTransport } from './transports/adopting.js';
import { ConnectionTcp } from './transports/tcp.js';
import { ConnectionWebSocket } from './transports/websocket.js';
import { xml } from './xml.js';
import type { Element } from './xml.js';

const NS_STREAM = 'http://etherx.jabber.org/streams';
const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const NS_BIND = 'urn:ietf:params:xml:ns:xmpp-bind';

const noWayToVerify: SecureSocket = () => Promise.reject(new Error('the server offers STARTTLS, but this stream was given no way to verify its certificate'));

export interface XmppStreamOptions {
  domain: string;
  lang?: string;
  resource?: string;
  /** How to put TLS over a plain TCP socket for STARTTLS, verifying the server's certificate; without it, STARTTLS fails. */
  startTls?: SecureSocket;
  /** How long each step of stream negotiation may take (xmpp.js's step timeout). */
  stepTimeoutMs?: number;
}

export type Credentials = SaslCredentials;

export interface SignInOptions {
  /** Resume this stream, if the server still has it. */
  resume?: ResumableState | null;
  /** How long the server may take to answer the resume (ejabberd takes seconds to take a stream over). */
  resumeDeadlineMs?: number;
  /** How long the rest of the sign-in may take. */
  timeoutMs?: number;
  /**
   * The resource to bind, should the stream start afresh: the one of the stream it follows, so
   * that the server replaces that session instead of keeping it waiting for a resume.
   */
  resource?: string | undefined;
}

/** Fresh, `notDelivered` is what the stream given to resume had sent that its server never acknowledged. */
export type Establishment =
  | { outcome: 'resumed' }
  /** `managed`: whether the server counts and acknowledges stanzas, once it has answered `<enable/>` (false if it offers no stream management). */
  | { outcome: 'fresh'; notDelivered: Element[]; managed: Promise<boolean> };

export type SignedIn = Establishment & { mechanism: string };

export interface XmppStreamEvents {
  stanza: [stanza: Element];
  /** The server has this stanza (stream management), one event per stanza, in sending order. */
  ack: [stanza: Element];
  /** An `<a/>` arrived. */
  acknowledged: [];
  disconnect: [];
}

type SignInGiven = { credentials: SaslCredentials; options: SignInOptions };

export class XmppStream extends EventEmitter<XmppStreamEvents> {
  /** The features to sign in with: those after STARTTLS, or the first ones when the path offers no STARTTLS. */
  features!: Element;
  #jid: string | null = null;
  #online = false;
  /** The connection has gone: nothing more can be written to it. */
  #gone = false;
  /** A request to resume is out and unanswered. */
  #resumeUnanswered = false;
  /** Burrow closed or dropped the connection itself: what ends then says nothing of the server. */
  #closedHere = false;
  #refusal: Refusal | null = null;
  readonly #entity: Client;
  readonly #socket: AdoptedSocket;
  readonly #sm: StreamManagement;
  readonly #iqCaller: IqCaller;
  readonly #signIn: SignIn;
  readonly #giveSignIn: (given: SignInGiven) => void;
  readonly #established: Promise<Establishment>;
  readonly #stepTimeoutMs: number;

  /** Opens the XMPP stream over `carrier` (a TCP or TLS socket, or a carrier of RFC 7395 frames) up to its features. */
  static async open(carrier: net.Socket | FrameSocket, options: XmppStreamOptions, signal?: AbortSignal): Promise<XmppStream> {
    const stream = new XmppStream(carrier, options);
    const entity = stream.#entity;
    try {
      const features = new Promise<Element>((resolve) => {
        const onElement = (element: Element) => {
          if (!element.is('features', NS_STREAM) || upgradePending(element, stream.#socket)) return;
          entity.off('element', onElement);
          resolve(element);
        };
        entity.on('element', onElement);
      });
      stream.features = await untilFailure(entity, { signal, what: 'its stream features' }, async () => {
        await entity.connect(ADOPTED_SERVICE);
        await entity.open({ domain: options.domain, lang: options.lang ?? 'en' });
        return features;
      });
      return stream;
    } catch (error) {
      stream.drop();
      throw error;
    }
  }

  private constructor(carrier: net.Socket | FrameSocket, options: XmppStreamOptions) {
    super();
    const { domain, lang = 'en' } = options;
    this.#stepTimeoutMs = options.stepTimeoutMs ?? 2_000;
    const entity = new Client({ domain, lang, timeout: this.#stepTimeoutMs });
    this.#entity = entity;
    // An 'error' nobody listens to would crash the process, e.g. while an abandoned attempt closes;
    // whoever cares about errors listens as well.
    entity.on('error', (error: unknown) => {
      if (isRefusal(error)) this.#refusal ??= error;
    });
    this.#socket = new AdoptedSocket(carrier);
    entity.transports.push(adoptingTransport(carrier instanceof net.Socket ? ConnectionTcp : ConnectionWebSocket, this.#socket));

    const middleware = middlewareSetup({ entity });
    // First, so that it counts every stanza before anything else takes one.
    this.#sm = new StreamManagement(entity, middleware);
    this.#iqCaller = new IqCaller(entity, middleware);
    const streamFeatures = streamFeaturesSetup({ middleware });

    let giveSignIn: (given: SignInGiven) => void = () => {};
    const signInGiven = new Promise<SignInGiven>((resolve) => (giveSignIn = resolve));
    this.#giveSignIn = giveSignIn;
    startTls(streamFeatures, this.#socket, options.startTls ?? noWayToVerify);
    this.#signIn = signInWhenGiven(streamFeatures, entity, signInGiven.then(({ credentials }) => credentials));
    this.#established = this.#establishSession(streamFeatures, signInGiven, options.resource);
    this.#established.catch(() => {});

    entity.on('stanza', (stanza: Element) => this.emit('stanza', stanza));
    entity.on('disconnect', () => {
      this.#online = false;
      this.#gone = true;
      this.emit('disconnect');
    });
    this.#sm.on('ack', (stanza) => this.emit('ack', stanza));
    this.#sm.on('acknowledged', () => this.emit('acknowledged'));
  }

  /** Burrow itself ended the connection (dropped or closed it); false while it is up, or when the server or the network ended it. */
  get endedHere(): boolean {
    return this.#closedHere;
  }

  get secure(): boolean {
    return this.#socket.secure;
  }

  /**
   * What the server sent that made Burrow close the stream (null: nothing): more than Burrow's
   * limits, or XML that is not well-formed.
   */
  get refusal(): Refusal | null {
    return this.#refusal;
  }

  /** The full JID, once bound (or taken back by a resume). */
  get jid(): string | null {
    return this.#jid;
  }

  /** Signed in (bound, with stream management asked for, or resumed) and not disconnected since. */
  get online(): boolean {
    return this.#online;
  }

  /** Stream management is on: the server acknowledges what it gets. */
  get managed(): boolean {
    return this.#sm.enabled;
  }

  /**
   * When anything last came from the server (ms since the epoch), an empty answer to a held BOSH
   * request included: the server answered, so the path carries.
   */
  get lastHeardAt(): number {
    return Math.max(this.#sm.lastHeardAt, this.#socket.heldRequest?.lastAnsweredAt ?? 0);
  }

  /**
   * By when the server promised to answer on its own (a request it holds, over BOSH): until then, its
   * silence says nothing against the path (null: no such promise, as over TCP or WebSocket).
   */
  get answerDueAt(): number | null {
    return this.#socket.heldRequest?.answerDueAt ?? null;
  }

  /** When the last `<a/>` came on this connection (null: none yet). */
  get lastAckAt(): number | null {
    return this.#sm.lastAckAt;
  }

  /** What the server has sent since it took the stream back (0 as well on a stream not resumed). */
  get heardSinceResumed(): number {
    return this.#sm.heardSinceResumed;
  }

  /** Since when an ack request is unanswered (null: none is). */
  get ackRequestedAt(): number | null {
    return this.#sm.ackRequestedAt;
  }

  /** The path's round trip, from an ack request to its answer: the least of the last few (null: not measured yet). */
  get roundTripMs(): number | null {
    return this.#sm.roundTripMs;
  }

  /**
   * Signs in: SASL (SCRAM-SHA-256, SCRAM-SHA-1, or PLAIN over an encrypted channel only), then
   * resumes `options.resume` if the server still has it, or else binds a resource and asks for
   * stream management (its answer comes behind whatever is sent next). Nothing can be sent before it resolves.
   */
  async authenticate(credentials: SaslCredentials, options: SignInOptions = {}): Promise<SignedIn> {
    if (!this.features.getChild('mechanisms', NS_SASL)) {
      throw new Error('the server offers no way to sign in on this path (it may refuse to without encryption)');
    }
    const { timeoutMs = 15_000, resumeDeadlineMs = 20_000 } = options;
    this.#giveSignIn({ credentials, options });
    let established: Establishment;
    try {
      established = await untilFailure(
        this.#entity,
        { what: 'the sign-in was done', timeoutMs: timeoutMs + (options.resume ? resumeDeadlineMs : 0) },
        () => this.#established,
      );
    } catch (error) {
      if (!this.#resumeUnanswered || (this.#closedHere && !(error instanceof ResumeUnansweredError))) throw error;
      // Not a goodbye: the server may still be taking the old stream over, and closing this one would end it.
      this.drop();
      throw error instanceof ResumeUnansweredError ? error : new ResumeUnansweredError(null);
    }
    this.#online = true;
    return { mechanism: this.#signIn.mechanism(), ...established };
  }

  /** On a connection that has gone, refused with a `ConnectionGoneError` (and counted nowhere). */
  send(stanza: Element): Promise<void> {
    const written = this.#gone ? Promise.reject(new ConnectionGoneError()) : this.#entity.send(stanza);
    this.#sm.writing(stanza);
    return written;
  }

  /** An iq request; it fails at once if the connection goes. */
  request(iq: Element, timeoutMs?: number): Promise<Element> {
    return this.#iqCaller.request(iq, timeoutMs);
  }

  /** Asks the server to acknowledge what it has (stream management on). */
  requestAck(): void {
    this.#sm.requestAck();
  }

  /** Stanzas sent but not acknowledged yet, oldest first. */
  unacknowledged(): Element[] {
    return this.#sm.unacknowledged();
  }

  /** What a new stream, over any path, needs to resume this one; null when it cannot be resumed. */
  exportState(): ResumableState | null {
    return this.#sm.exportState(this.#jid);
  }

  /**
   * Abandons a path that stopped answering: the socket goes at once, with no closing of the
   * stream, so the server keeps the session for a resume elsewhere. 'disconnect' follows.
   */
  drop(): void {
    this.#closedHere = true;
    this.#socket.destroy();
  }

  /** Ends the stream politely: the server discards it, so it cannot be resumed. */
  async stop(): Promise<void> {
    this.#closedHere = true;
    await this.#entity.stop().catch(() => {});
  }

  /** Once signed in (RFC 6120 §7, XEP-0198 §5): resume, or bind and enable stream management. */
  async #establishSession(
    streamFeatures: StreamFeatures,
    signInGiven: Promise<{ options: SignInOptions }>,
    resource: string | undefined,
  ): Promise<Establishment> {
    const features = await new Promise<Element>((resolve) =>
      streamFeatures.use('bind', NS_BIND, ({ stanza }) => {
        resolve(stanza);
      }),
    );
    const { resume, resumeDeadlineMs = 20_000, resource: following } = (await signInGiven).options;
    const offersSm = features.getChild('sm', NS_SM) !== undefined;
    let notDelivered: Element[] = [];
    if (resume) {
      this.#resumeUnanswered = offersSm;
      const outcome = offersSm ? await this.#sm.resume(resume, resumeDeadlineMs) : { resumed: false as const, notDelivered: unacknowledgedOf(resume) };
      this.#resumeUnanswered = false;
      if (outcome.resumed) {
        this.#jid = resume.jid;
        return { outcome: 'resumed' };
      }
      notDelivered = outcome.notDelivered;
    }
    this.#jid = await this.#bind(following ?? resource);
    // Not awaited: the session's first requests go in the same flight, counted from it.
    const managed = offersSm ? this.#sm.enable(this.#stepTimeoutMs * 5).catch(() => false) : Promise.resolve(false);
    return { outcome: 'fresh', notDelivered, managed };
  }

  async #bind(resource: string | undefined): Promise<string> {
    const request = xml('iq', { type: 'set' }, xml('bind', { xmlns: NS_BIND }, resource ? xml('resource', {}, resource) : undefined));
    const answer = await this.#iqCaller.request(request, this.#stepTimeoutMs * 5);
    const jid = answer.getChild('bind', NS_BIND)?.getChildText('jid');
    if (!jid) throw new Error('the server bound no resource');
    return jid;
  }
}

/**
 * Runs `work` until it is done, the entity reports an error, the connection drops, `timeoutMs`
 * passes, or `signal` aborts.
 */
function untilFailure<T>(
  entity: Client,
  { signal, timeoutMs, what }: { signal?: AbortSignal | undefined; timeoutMs?: number; what: string },
  work: () => Promise<T>,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const onError = (error: unknown) => finish(() => reject(error));
    const onDisconnect = () =>
      finish(() => reject(Object.assign(new Error(`the server closed the connection before ${what}`), { code: 'ECONNRESET' })));
    const onAbort = () => finish(() => reject(signal?.reason));
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => finish(() => reject(new TimeoutError(`gave up waiting, after ${timeoutMs} ms, until ${what}`))), timeoutMs);
    function finish(settle: () => void) {
      clearTimeout(timer);
      entity.off('error', onError);
      entity.off('disconnect', onDisconnect);
      signal?.removeEventListener('abort', onAbort);
      settle();
    }
    entity.on('error', onError);
    entity.on('disconnect', onDisconnect);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) return onAbort();
    work().then(
      (value) => finish(() => resolve(value)),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
