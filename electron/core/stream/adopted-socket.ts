/**
 * A socket that a route has already connected (directly, through an HTTP CONNECT or SOCKS proxy,
 * maybe already under TLS), handed to xmpp.js as a transport's `Socket`: `connect()` adopts it.
 */
import { isUtf8 } from 'node:buffer';
import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';

import { MalformedXmlError, TooLargeError } from './errors.js';
import type { Refusal } from './errors.js';
import { MAX_STANZA_BYTES, StanzaLimit } from './stanza-limit.js';
import { xml } from './xml.js';
import type { Element } from './xml.js';

const NS_STREAM = 'http://etherx.jabber.org/streams';
const NS_STREAMS = 'urn:ietf:params:xml:ns:xmpp-streams';
/** XEP-0182's condition for a stanza over the receiver's limit. */
const NS_ERRORS = 'urn:xmpp:errors';
const CLOSE_FRAME = "<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>";
/** How long a refused server has to take Burrow's goodbye before the connection goes regardless. */
const GOODBYE_TIMEOUT_MS = 1_000;

/**
 * A connected carrier of XMPP frames (RFC 7395: one element per frame), such as a WebSocket or a
 * BOSH session: 'data' (a frame), 'close' (dirty, reason), 'error'. It refuses a frame over
 * MAX_STANZA_BYTES itself, before reading it whole, with a TooLargeError, and one that is not UTF-8
 * with a MalformedXmlError.
 */
export interface FrameSocket extends EventEmitter {
  readonly secure: boolean;
  /** Present on a carrier that keeps a request held by the server (BOSH): what its answers say of the path. */
  readonly heldRequest?: HeldRequest;
  write(frame: string, callback?: (error?: Error | null) => void): void;
  /** Closes politely. */
  end(): void;
  /** Goes at once, without a goodbye. */
  destroy(): void;
}

/**
 * A carrier that keeps a request held by the server (BOSH) hears from it at least once per `wait`:
 * the server answers that request, with nothing if it has nothing, by a time it promised. Those
 * answers, empty ones too, prove the path, so nothing need probe it while the promise stands.
 */
export interface HeldRequest {
  /** When the server last answered a request, empty answers included (ms since the epoch; null: never yet). */
  readonly lastAnsweredAt: number | null;
  /** By when the server promised to answer a request it holds (ms since the epoch; null: none is out). */
  readonly answerDueAt: number | null;
}

type Carrier = net.Socket | FrameSocket;

/** Puts TLS over a plain socket and settles once the server's certificate is verified, before anything is sent over it. */
export type SecureSocket = (plain: net.Socket) => Promise<tls.TLSSocket>;

export class AdoptedSocket extends EventEmitter {
  #carrier: Carrier;
  #adopted = false;
  /** The server's bytes read, counted against the limit, and those of its stanza still open. */
  #limit = streamLimit();
  #open: Buffer[] = [];
  /** Burrow refused what the server sent: it reads nothing more, and has said its last word. */
  #refused = false;
  /** The server ended its stream: xmpp.js reads nothing more of it. */
  #streamEnded = false;
  /** xmpp.js is closing the connection, and reads nothing more. */
  #ending = false;
  readonly #forward = {
    data: (chunk: Buffer | string) => (typeof chunk === 'string' ? this.#readFrame(chunk) : this.#read(chunk)),
    close: (dirty?: boolean, reason?: unknown) => this.emit('close', dirty ?? false, reason),
    // xmpp.js stops listening once the socket closes; a write racing the close still fails after that.
    error: (error: unknown) => void (this.listenerCount('error') > 0 && this.emit('error', error)),
  };

  constructor(carrier: Carrier) {
    super();
    this.#carrier = carrier;
    carrier.on('error', () => {});
  }

  get secure(): boolean {
    const carrier = this.#carrier;
    return carrier instanceof tls.TLSSocket || (!(carrier instanceof net.Socket) && carrier.secure);
  }

  /** What the carrier's held request says of the path (null: it keeps none, as TCP and WebSocket do not). */
  get heldRequest(): HeldRequest | null {
    const carrier = this.#carrier;
    return carrier instanceof net.Socket ? null : (carrier.heldRequest ?? null);
  }

  /** A plain TCP socket, which STARTTLS can still upgrade. */
  get canStartTls(): boolean {
    return this.#carrier instanceof net.Socket && !(this.#carrier instanceof tls.TLSSocket);
  }

  /** A new stream starts (the first, or after STARTTLS or SASL): what the server sends next is a new XML document. */
  startsStream(): void {
    this.#limit = streamLimit();
    this.#open = [];
    this.#streamEnded = false;
  }

  /** The server's stream ended (its `</stream:stream>` or `<close/>`): whatever it sends after is refused. */
  streamEnded(): void {
    this.#streamEnded = true;
  }

  /** Called by xmpp.js with the transport's socket parameters, which an adopted socket has no use for. */
  connect(): void {
    if (this.#adopted) {
      // A second connect (e.g. a see-other-host redirect) cannot reuse a socket that was already used.
      queueMicrotask(() => this.emit('error', new Error('an adopted socket cannot connect again')));
      return;
    }
    this.#adopted = true;
    this.#listen(this.#carrier);
    // xmpp.js listens for 'connect' only once connect() has returned.
    setImmediate(() => this.emit('connect'));
  }

  /**
   * Calls back once the data is queued, not once it is flushed: xmpp.js starts listening for the
   * server's answer (e.g. to its stream header) only when the write has called back, and over a
   * fast path the answer can come before the flush.
   */
  write(data: string, callback?: (error?: Error | null) => void): void {
    // Once Burrow refused what the server sent, its goodbye is the last word on the stream.
    if (this.#refused || (this.#carrier instanceof net.Socket && this.#carrier.destroyed)) {
      queueMicrotask(() => callback?.(new Error('the connection is closed')));
      return;
    }
    this.#carrier.write(data, (error?: Error | null) => {
      if (error) this.#forward.error(error);
    });
    queueMicrotask(() => callback?.());
  }

  end(): void {
    this.#ending = true;
    this.#carrier.end();
  }

  /**
   * Goes at once, without closing the XMPP stream, so that the server keeps it for a resume. A
   * stream Burrow refused is already going, once its goodbye is out.
   */
  destroy(): void {
    if (!this.#refused) this.#carrier.destroy();
  }

  /** STARTTLS (RFC 6120 §5.4.3.3): TLS over the same TCP connection, after the server's `<proceed/>`. */
  async startTls(secure: SecureSocket): Promise<void> {
    const plain = this.#carrier;
    if (!(plain instanceof net.Socket) || plain instanceof tls.TLSSocket) throw new Error('only a plain TCP socket can start TLS');
    this.#unlisten(plain);
    const secured = await secure(plain);
    this.#carrier = secured;
    this.#listen(secured);
  }

  /**
   * Hands the parser whole stanzas only, each in one piece: a parser given a stanza bit by bit
   * reads what it has of it again with every bit, and the cost would grow with its square.
   */
  #read(chunk: Buffer): void {
    if (this.#refused || this.#ending) return;
    let whole: number;
    try {
      whole = this.#limit.read(chunk);
    } catch (error) {
      this.#refuse(error as Refusal);
      return;
    }
    if (whole === 0) {
      this.#open.push(chunk);
      return;
    }
    const complete = Buffer.concat([...this.#open, chunk.subarray(0, whole)]);
    this.#open = whole < chunk.length ? [chunk.subarray(whole)] : [];
    // Cut after a '>', the bytes end between two whole UTF-8 characters, if UTF-8 is what they are.
    if (!isUtf8(complete)) {
      this.#refuse(new MalformedXmlError('bytes that are not UTF-8', 'unsupported-encoding'));
      return;
    }
    this.#deliver(complete.toString('utf8'));
  }

  /**
   * A frame must be whole elements (RFC 7395: one), or the parser would carry what is left open
   * over into the next frames, however many.
   */
  #readFrame(frame: string): void {
    if (this.#refused || this.#ending) return;
    const limit = new StanzaLimit(MAX_STANZA_BYTES);
    try {
      limit.read(Buffer.from(frame));
      if (!limit.atRest) throw new MalformedXmlError('a frame that ends inside an element');
    } catch (error) {
      this.#refuse(error as Refusal);
      return;
    }
    this.#deliver(frame);
  }

  /**
   * Whatever xmpp.js throws while it reads the server's XML (ltx at an entity XML does not define,
   * say) closes the stream, not the process.
   */
  #deliver(text: string): void {
    if (this.#streamEnded) {
      this.#refuse(new MalformedXmlError('more after the end of its stream'));
      return;
    }
    try {
      this.emit('data', text);
    } catch (error) {
      this.#refuse(error instanceof MalformedXmlError ? error : new MalformedXmlError(error instanceof Error ? error.message : String(error)));
    }
  }

  /**
   * Closes the stream as servers close one on a stanza over their limit (RFC 6120 §4.9.3.14), or on
   * XML that is not well-formed (§4.9.3.13), reading no more: the goodbye goes out, then the
   * connection, without waiting long for a server that does not take it.
   */
  #refuse(error: Refusal): void {
    this.#refused = true;
    this.#open = [];
    const carrier = this.#carrier;
    const goodbye = streamError(error).toString();
    const go = () => carrier.destroy();
    if (carrier instanceof net.Socket) {
      carrier.end(`${goodbye}</stream:stream>`, go);
    } else {
      // Over frames (a frame over the limit is refused by the carrier itself): BOSH ends its session at once with a terminate.
      carrier.write(goodbye);
      carrier.write(CLOSE_FRAME, go);
      carrier.end();
    }
    setTimeout(go, GOODBYE_TIMEOUT_MS).unref();
    this.#forward.error(error);
  }

  #listen(carrier: Carrier): void {
    for (const [event, listener] of Object.entries(this.#forward)) carrier.on(event, listener);
  }

  #unlisten(carrier: Carrier): void {
    for (const [event, listener] of Object.entries(this.#forward)) carrier.off(event, listener);
  }
}

/** A stream holds stanzas only: text between them (say, what a server that is no XMPP server answers) is refused at once. */
function streamLimit(): StanzaLimit {
  return new StanzaLimit(MAX_STANZA_BYTES, { stanzasOnly: true });
}

/** The stream error that says why Burrow refused what the server sent; it declares its prefix, as a frame stands alone. */
function streamError(error: Refusal): Element {
  const reason =
    error instanceof TooLargeError
      ? [xml('policy-violation', { xmlns: NS_STREAMS }), xml('text', { xmlns: NS_STREAMS }, error.message), xml('stanza-too-big', { xmlns: NS_ERRORS })]
      : [xml(error.condition, { xmlns: NS_STREAMS }), xml('text', { xmlns: NS_STREAMS }, error.message)];
  return xml('stream:error', { 'xmlns:stream': NS_STREAM }, ...reason);
}
