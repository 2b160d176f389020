/**
 * XMPP over BOSH (XEP-0124/0206), the HTTP tunnel. BoshSocket looks to the stream layer like a
 * WebSocket carrying RFC 7395 frames, so the usual client composition (SASL, binding, stream
 * management) runs over it unchanged.
 *
 * Latency: with hold=1 and requests=2 one request is always parked at the server for pushes, and
 * anything we send goes out at once on the second; the server then answers the parked one, so both
 * directions cost about one round trip.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import { randomInt } from 'node:crypto';

import type { FrameSocket, HeldRequest } from '../stream/adopted-socket.js';
import { MalformedXmlError, TooLargeError } from '../stream/errors.js';
import type { Refusal } from '../stream/errors.js';
import { MAX_STANZA_BYTES, StanzaLimit } from '../stream/stanza-limit.js';
import {
  NS_XBOSH,
  buildBody,
  framedClose,
  framedOpen,
  parseResponseBody,
  readOutgoingFrame,
} from './bosh-framing.js';
import type { BodyAttributes, ResponseBody } from './bosh-framing.js';
import { BoshProtocolError, BoshTerminatedError, HttpStatusError, NoAnswerError } from './errors.js';
import type { ForwardProxy } from './http-post.js';
import { burrowHttpStack } from './http-stack.js';
import type { HttpStack } from './http-stack.js';
import type { TlsTrust } from './trust.js';

export interface BoshOptions {
  /** Who carries the HTTP requests; owned by the session: closed with it. Default: Burrow's own, from the options below. */
  http?: HttpStack;
  /** How Burrow's own requests reach the endpoint (e.g. along a proxy route). Default: a keep-alive agent connecting directly. */
  agent?: http.Agent;
  tls?: TlsTrust;
  /** For http:// endpoints behind a proxy that forwards plain HTTP but refuses CONNECT. */
  forwardProxy?: ForwardProxy;
  /**
   * Seconds the server may hold a request (XEP-0124 `wait`). An idle session costs one request per
   * `wait`, and its held request, answered (if only empty) by then, is what proves the path while
   * nothing is said: 10 s unless given, so that a path gone silent is found within the 15 s of idle
   * detection (the session's path watch drops one silent for 14 s).
   */
  waitSeconds?: number;
  /** How long an answer may take beyond `wait` before the request counts as lost. */
  graceMs?: number;
  /** Resends of a lost request (same rid) before the session is given up. */
  maxRetries?: number;
}

type Outgoing = { kind: 'payload'; xml: string } | { kind: 'restart' } | { kind: 'terminate' };

interface Exchange {
  rid: number;
  body: string;
  attempts: number;
  /** When it last went out (ms since the epoch). */
  sentAt: number;
  abort: AbortController;
  opensStream: boolean;
  terminates: boolean;
}

interface StreamHeader {
  to: string;
  from?: string;
  lang?: string;
}

const TERMINATE_NOTICE_TIMEOUT_MS = 2000;
/** The most one answer may take: it may carry many stanzas (a burst of presences after sign-in), each within MAX_STANZA_BYTES. */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** The server's `wait` (seconds) when it answers session creation without one. */
export const DEFAULT_WAIT_SECONDS = 10;

export class BoshSocket extends EventEmitter implements FrameSocket, HeldRequest {
  secure = false;

  readonly #waitSeconds: number;
  /** The `wait` the server granted (at most the one asked for), in ms. */
  #waitMs: number;
  #lastAnsweredAt: number | null = null;
  readonly #graceMs: number;
  readonly #maxRetries: number;
  readonly #options: BoshOptions;
  #http: HttpStack | undefined;

  #url: URL | undefined;
  #header: StreamHeader = { to: '' };
  #sid: string | undefined;
  #nextRid = randomInt(1, 2 ** 32);
  #nextRidToDeliver = this.#nextRid;
  #maxRequests = 1;
  #queue: Outgoing[] = [];
  #inFlight = new Map<number, Exchange>();
  #answered = new Map<number, { exchange: Exchange; body: ResponseBody }>();
  #pumpScheduled = false;
  #terminateSent = false;
  #streamClosed = false;
  #closed = false;

  constructor(options: BoshOptions = {}) {
    super();
    this.#waitSeconds = options.waitSeconds ?? DEFAULT_WAIT_SECONDS;
    this.#waitMs = this.#waitSeconds * 1000;
    this.#graceMs = options.graceMs ?? 10_000;
    this.#maxRetries = options.maxRetries ?? 3;
    this.#options = options;
    this.#http = options.http;
  }

  /**
   * The server answers every request it holds within its `wait`, empty if it has nothing to say:
   * each answer proves the path, and the oldest request out says by when the next one is due.
   */
  get heldRequest(): HeldRequest {
    return this;
  }

  /** When the server last answered a request, empty answers included (null: never yet). */
  get lastAnsweredAt(): number | null {
    return this.#lastAnsweredAt;
  }

  /** By when the server owes an answer, by its `wait`, to the oldest request out (null: none is out). */
  get answerDueAt(): number | null {
    if (this.#closed || this.#streamClosed || this.#sid === undefined || this.#inFlight.size === 0) return null;
    return Math.min(...[...this.#inFlight.values()].map((exchange) => exchange.sentAt)) + this.#waitMs;
  }

  /** Nothing goes over the wire until the XMPP layer opens the stream, which names the domain. */
  connect(url: string): void {
    this.#url = new URL(url);
    this.secure = this.#url.protocol === 'https:';
    this.#http ??= this.#burrowHttpStack();
    setImmediate(() => this.emit('connect'));
  }

  write(data: string, callback?: (error?: Error) => void): void {
    const done = (error?: Error) => queueMicrotask(() => callback?.(error));
    if (this.#closed || this.#terminateSent) {
      done(new Error('the BOSH session is closed'));
      return;
    }
    const frame = readOutgoingFrame(data);
    if (frame.kind === 'open') {
      this.#header = frame;
      if (this.#sid === undefined) this.#createSession();
      else this.#queue.push({ kind: 'restart' });
    } else if (frame.kind === 'close') {
      this.#queue.push({ kind: 'terminate' });
    } else {
      this.#queue.push({ kind: 'payload', xml: frame.xml });
    }
    this.#schedulePump();
    done();
  }

  /** Closes at once; a session the server still holds is told to terminate, without waiting for it. */
  end(): void {
    if (this.#closed) return;
    this.#close(undefined, this.#sendTerminateNotice());
  }

  /**
   * Abandons a path that stopped answering, without the terminate request: the server keeps the
   * session hibernating, so that stream management can resume it over another path.
   */
  destroy(): void {
    this.#close(new Error('the path stopped answering'));
  }

  #sendTerminateNotice(): Promise<unknown> | undefined {
    if (this.#sid === undefined || this.#terminateSent || !this.#url || !this.#http) return undefined;
    const body = buildBody({ rid: this.#nextRid++, sid: this.#sid, type: 'terminate' });
    const signal = AbortSignal.timeout(TERMINATE_NOTICE_TIMEOUT_MS);
    return this.#http.post({ url: this.#url, body, timeoutMs: TERMINATE_NOTICE_TIMEOUT_MS, signal }).catch(() => {});
  }

  #burrowHttpStack(): HttpStack {
    const { agent, tls, forwardProxy } = this.#options;
    return burrowHttpStack({
      agent: agent ?? new (this.secure ? https.Agent : http.Agent)({ keepAlive: true }),
      ...(tls ? { tls } : {}),
      ...(forwardProxy ? { forwardProxy } : {}),
    });
  }

  #createSession(): void {
    const { to, from, lang } = this.#header;
    this.#send(
      this.#exchange(
        {
          content: 'text/xml; charset=utf-8',
          from,
          hold: 1,
          rid: this.#nextRid++,
          to,
          ver: '1.11',
          wait: this.#waitSeconds,
          'xml:lang': lang,
          'xmpp:version': '1.0',
          'xmlns:xmpp': NS_XBOSH,
        },
        [],
        { opensStream: true },
      ),
    );
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    // Deferred a turn so that stanzas written together share one request.
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#closed || this.#streamClosed || this.#sid === undefined) return;
    while (this.#inFlight.size < this.#maxRequests) {
      const exchange = this.#nextExchange(this.#sid);
      if (!exchange) return;
      this.#send(exchange);
    }
  }

  #nextExchange(sid: string): Exchange | undefined {
    const next = this.#queue[0];
    if (!next) {
      if (this.#inFlight.size > 0 || this.#terminateSent) return undefined;
      return this.#exchange({ rid: this.#nextRid++, sid }); // the request the server holds for pushes
    }
    if (next.kind === 'restart') {
      this.#queue.shift();
      const { to, lang } = this.#header;
      const restart = { rid: this.#nextRid++, sid, to, 'xml:lang': lang, 'xmpp:restart': 'true', 'xmlns:xmpp': NS_XBOSH };
      return this.#exchange(restart, [], { opensStream: true });
    }
    if (next.kind === 'terminate') {
      this.#queue.shift();
      this.#terminateSent = true;
      return this.#exchange({ rid: this.#nextRid++, sid, type: 'terminate' }, [], { terminates: true });
    }
    const payloads: string[] = [];
    for (let item = this.#queue[0]; item?.kind === 'payload'; item = this.#queue[0]) {
      payloads.push(item.xml);
      this.#queue.shift();
    }
    return this.#exchange({ rid: this.#nextRid++, sid }, payloads);
  }

  #exchange(
    attrs: BodyAttributes & { rid: number },
    payloads: string[] = [],
    flags: { opensStream?: boolean; terminates?: boolean } = {},
  ): Exchange {
    return {
      rid: attrs.rid,
      body: buildBody(attrs, payloads),
      attempts: 0,
      sentAt: 0,
      abort: new AbortController(),
      opensStream: flags.opensStream ?? false,
      terminates: flags.terminates ?? false,
    };
  }

  #send(exchange: Exchange): void {
    const url = this.#url;
    const stack = this.#http;
    if (!url || !stack) throw new Error('BoshSocket.connect() must come before the first write');
    exchange.attempts += 1;
    exchange.sentAt = Date.now();
    this.#inFlight.set(exchange.rid, exchange);
    const timeoutMs = this.#waitSeconds * 1000 + this.#graceMs;
    stack.post({ url, body: exchange.body, timeoutMs, signal: exchange.abort.signal, inspect: answerLimit() }).then(
      (reply) => {
        if (this.#closed) return;
        this.#inFlight.delete(exchange.rid);
        if (reply.status !== 200) {
          this.#fail(new HttpStatusError(url.href, reply.status, reply.statusText));
          return;
        }
        this.#lastAnsweredAt = Date.now();
        let body: ResponseBody;
        try {
          body = parseResponseBody(reply.text);
          if (!reply.utf8) throw new MalformedXmlError('bytes that are not UTF-8', 'unsupported-encoding');
        } catch (error) {
          // A BOSH body that is not well-formed is the service's doing; anything else may be a captive portal's page.
          if (error instanceof MalformedXmlError) this.#refuse(error);
          else this.#fail(new BoshProtocolError(url.href, (error as Error).message));
          return;
        }
        this.#onAnswer(exchange, body);
      },
      (error: unknown) => {
        if (this.#closed || exchange.abort.signal.aborted) return;
        this.#inFlight.delete(exchange.rid);
        if (error instanceof TooLargeError) {
          this.#refuse(error);
          return;
        }
        // A lost request is resent with its rid (XEP-0124 §14); a session that never started fails at once.
        const lost = this.#sid !== undefined && (error instanceof NoAnswerError || isNetworkError(error));
        if (lost && exchange.attempts <= this.#maxRetries) this.#send(exchange);
        else this.#fail(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  #onAnswer(exchange: Exchange, body: ResponseBody): void {
    if (this.#sid === undefined) {
      const { sid, requests } = body.attrs;
      if (body.terminated) {
        this.#fail(new BoshTerminatedError(this.#url?.href ?? '', body.condition ?? 'undefined-condition'));
        return;
      }
      if (!sid) {
        this.#fail(new BoshProtocolError(this.#url?.href ?? '', 'the session creation answer has no sid'));
        return;
      }
      this.#sid = sid;
      // hold=1 means two requests at most, whatever a generous server offers.
      this.#maxRequests = Math.min(2, Number(requests) || 2);
      // A server may hold requests for less than asked (XEP-0124 §7.1), never for more.
      const granted = Number(body.attrs.wait);
      if (granted > 0) this.#waitMs = Math.min(this.#waitSeconds, granted) * 1000;
    }
    this.#answered.set(exchange.rid, { exchange, body });
    this.#deliverInOrder();
    this.#schedulePump();
  }

  /** Answers may overtake each other on the two connections; the XMPP layer sees them in rid order. */
  #deliverInOrder(): void {
    for (let next = this.#answered.get(this.#nextRidToDeliver); next; next = this.#answered.get(this.#nextRidToDeliver)) {
      this.#answered.delete(this.#nextRidToDeliver);
      this.#nextRidToDeliver += 1;
      this.#deliver(next.exchange, next.body);
      if (this.#closed || this.#streamClosed) return;
    }
  }

  #deliver(exchange: Exchange, body: ResponseBody): void {
    const sid = this.#sid ?? '';
    if (exchange.opensStream) {
      const { from = this.#header.to } = body.attrs;
      this.emit('data', framedOpen({ from, id: sid, ...(this.#header.lang ? { lang: this.#header.lang } : {}) }));
    }
    for (const payload of body.payloads) this.emit('data', payload);
    if (body.terminated || exchange.terminates) this.#onStreamEnd(body.condition);
  }

  #onStreamEnd(condition: string | undefined): void {
    this.#streamClosed = true;
    this.emit('data', framedClose());
    if (this.#terminateSent && condition === undefined) {
      // Our own terminate was answered: like a WebSocket after <close/>, wait for end().
      this.#abortInFlight();
      return;
    }
    if (condition === undefined) this.#close();
    else this.#fail(new BoshTerminatedError(this.#url?.href ?? '', condition));
  }

  #fail(error: Error): void {
    this.emit('error', error);
    this.#close(error);
  }

  /** The server sent more than Burrow accepts, or XML that is not well-formed: the session ends, and the server is told so. */
  #refuse(error: Refusal): void {
    this.emit('error', error);
    this.#close(error, this.#sendTerminateNotice());
  }

  /** `pendingNotice`: a last request that still needs the HTTP stack. */
  #close(reason?: Error, pendingNotice?: Promise<unknown>): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#abortInFlight();
    this.#queue = [];
    this.#answered.clear();
    if (pendingNotice) void pendingNotice.finally(() => this.#http?.close());
    else this.#http?.close();
    // After a tick, because the XMPP layer calls end() and only then listens for 'close'.
    process.nextTick(() => this.emit('close', reason !== undefined, reason));
  }

  #abortInFlight(): void {
    for (const exchange of this.#inFlight.values()) exchange.abort.abort();
    this.#inFlight.clear();
  }
}

/**
 * Reads an answer as it arrives with Burrow's limits: a stanza in it over MAX_STANZA_BYTES, or the
 * whole over MAX_ANSWER_BYTES, stops it. Whether one that is not well-formed XML is a BOSH body at
 * all or a captive portal's page, parseResponseBody says once it is whole.
 */
function answerLimit(): (chunk: Buffer, status: number) => void {
  let stanzas: StanzaLimit | null = new StanzaLimit(MAX_STANZA_BYTES);
  let received = 0;
  return (chunk, status) => {
    received += chunk.length;
    if (received > MAX_ANSWER_BYTES) throw new TooLargeError('bosh-answer', MAX_ANSWER_BYTES);
    // Stanzas only in a BOSH body; an error page is whatever it is.
    if (status !== 200 || !stanzas) return;
    try {
      stanzas.read(chunk);
    } catch (error) {
      if (!(error instanceof MalformedXmlError)) throw error;
      stanzas = null;
    }
  };
}

function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED'].includes(code);
}
