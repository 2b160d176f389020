// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="../xmpp.d.ts" />
/**
 * An XMPP server whose stream management a test scripts: it signs anyone in (SASL PLAIN), binds,
 * offers stream management, counts the client's stanzas once it is enabled or resumed, and
 * answers `<enable/>`, `<resume/>` and `<r/>` as the test says. It listens on 127.0.0.1 over
 * direct TLS, and also serves RFC 7395 frames in process, so one stream can resume on another
 * transport.
 */
import { EventEmitter } from 'node:events';
import tls from 'node:tls';

import { Parser } from '@xmpp/xml';

import { closeServer, listenLocally } from '../../connection/testing/tcp-servers.js';
import { testCertificate, testKey } from '../../connection/testing/fake-xmpp-server.js';
import type { FrameSocket } from '../adopted-socket.js';
import { ScramServerSide } from './scram-server-side.js';
import { parseXml } from '../xml.js';
import type { Element } from '../xml.js';

const NS_SM = 'urn:xmpp:sm:3';
const NS_FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';
const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
/** The password the scripted server's SCRAM knows. */
export const SCRIPTED_PASSWORD = 'secret';

/** How the server answers a stream management request: with this element, or not at all. */
export type Answer = string | 'silence';

export interface Script {
  /** Default: `<enabled id="sm-1" resume="true"/>`. */
  enable?: Answer;
  /** Default: silence. Given the `<resume/>`, the answer. */
  resume?: (request: Element) => Answer;
  /** Default: true. */
  answersAckRequests?: boolean;
  /** Sign in with SCRAM-SHA-256 only, asking for this many iterations (default: PLAIN). */
  scramIterations?: number;
  /** What a hostile server answers the client's first stream header with, instead of its own header and features. */
  greeting?: string;
}

/** How the server's side of one connection writes, opens its stream and goes: over bytes or frames. */
interface Framing {
  /** Resolves once the client's side has taken `data` (false: the connection is gone). */
  write(data: string | Uint8Array): Promise<boolean>;
  open(features: string): void;
  /** SASL is done: the client's next stream is a new document. */
  restart(): void;
  destroy(): void;
}

export class ScriptedConnection {
  /** Every element the client sent after its stream header, in order. */
  readonly received: Element[] = [];
  /** The client's stanzas counted since stream management was enabled or resumed (the server's `h`), modulo 2^32. */
  inbound = 0;
  /** The client closed its stream. */
  streamClosed = false;
  /** SASL is done: the next stream opened gets the features for binding and stream management. */
  authenticated = false;
  #counting = false;
  #scram: ScramServerSide | undefined;
  #waiters: { matches(element: Element): boolean; resolve(element: Element): void }[] = [];

  constructor(
    private readonly framing: Framing,
    private readonly script: Script,
  ) {}

  /**
   * Writes to the client as is (a whole element, so that it also makes a frame; bytes, to send what
   * is not UTF-8); resolves once the client has taken it (false: the connection is gone).
   */
  write(data: string | Uint8Array): Promise<boolean> {
    return this.framing.write(data);
  }

  /** The next element from the client with this name (maybe one already received and not waited for yet). */
  next(name: string, after = 0): Promise<Element> {
    const earlier = this.received.slice(after).find((element) => element.name === name);
    if (earlier) return Promise.resolve(earlier);
    return new Promise((resolve) => this.#waiters.push({ matches: (element) => element.name === name, resolve }));
  }

  /** Ends the stream with a stream error, as a server does on a bad stream header. */
  refuse(condition: string): void {
    this.write(`<stream:error><${condition} xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>`);
    this.framing.destroy();
  }

  /** Cuts the connection without a goodbye. */
  destroy(): void {
    this.framing.destroy();
  }

  /** The client opened a stream. */
  opened(): void {
    if (this.script.greeting !== undefined && !this.authenticated) {
      void this.write(this.script.greeting);
      return;
    }
    this.framing.open(
      this.authenticated
        ? `<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/><sm xmlns='${NS_SM}'/>`
        : `<mechanisms xmlns='${NS_SASL}'><mechanism>${this.script.scramIterations === undefined ? 'PLAIN' : 'SCRAM-SHA-256'}</mechanism></mechanisms>`,
    );
  }

  receive(element: Element): void {
    this.received.push(element);
    this.#waiters = this.#waiters.filter((waiter) => !(waiter.matches(element) && (waiter.resolve(element), true)));
    if (element.name === 'auth' && this.script.scramIterations !== undefined) {
      this.#scram = new ScramServerSide(SCRIPTED_PASSWORD, this.script.scramIterations);
      this.write(`<challenge xmlns='${NS_SASL}'>${base64(this.#scram.challenge(unbase64(element.text())))}</challenge>`);
    } else if (element.name === 'response' && this.#scram) {
      void this.#scram.final(unbase64(element.text())).then((serverFinal) => this.#succeed(base64(serverFinal)));
    } else if (element.name === 'auth') {
      this.#succeed('');
    } else if (element.is('iq') && element.getChild('bind')) {
      this.write(`<iq type='result' id='${element.attrs.id}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@localhost/burrow</jid></bind></iq>`);
    } else if (element.is('enable', NS_SM)) {
      this.#counting = true;
      this.#answer(this.script.enable ?? `<enabled xmlns='${NS_SM}' id='sm-1' resume='true'/>`);
    } else if (element.is('resume', NS_SM)) {
      const answer = this.script.resume?.(element) ?? 'silence';
      if (answer.startsWith('<resumed')) this.#counting = true;
      this.#answer(answer);
    } else if (element.is('r', NS_SM)) {
      if (this.script.answersAckRequests ?? true) this.write(`<a xmlns='${NS_SM}' h='${this.inbound}'/>`);
    } else if (this.#counting && ['message', 'presence', 'iq'].includes(element.name)) {
      this.inbound = (this.inbound + 1) % 2 ** 32;
    }
  }

  #succeed(data: string): void {
    this.authenticated = true;
    this.framing.restart();
    this.write(`<success xmlns='${NS_SASL}'>${data}</success>`);
  }

  #answer(answer: Answer): void {
    if (answer !== 'silence') void this.write(answer);
  }
}

const base64 = (text: string) => Buffer.from(text).toString('base64');
const unbase64 = (text: string) => Buffer.from(text, 'base64').toString('utf8');

/** A byte stream (RFC 6120 framing): a new parser for each stream the client opens. */
function serveBytes(socket: tls.TLSSocket, script: Script): ScriptedConnection {
  socket.on('error', () => {});
  const connection = new ScriptedConnection(
    {
      write: (data) => new Promise((resolve) => socket.write(data, (error) => resolve(!error))),
      open: (features) =>
        socket.write(
          "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' " +
            `id='scripted' from='localhost' version='1.0'><stream:features>${features}</stream:features>`,
        ),
      restart: () => listen((parser = new Parser())),
      destroy: () => socket.destroy(),
    },
    script,
  );
  let parser = new Parser();
  const listen = (current: Parser) => {
    // As Prosody and ejabberd do: a client's stream header must declare jabber:client (RFC 6120 §4.8.3).
    current.on('start', (header: Element) => (header.attrs.xmlns === 'jabber:client' ? connection.opened() : connection.refuse('invalid-namespace')));
    current.on('end', () => (connection.streamClosed = true));
    current.on('element', (element: Element) => connection.receive(element));
  };
  listen(parser);
  socket.on('data', (chunk: Buffer) => parser.write(chunk.toString('utf8')));
  return connection;
}

/** The client's end of an in-process connection carrying RFC 7395 frames (as a WebSocket or BOSH would). */
class FramePipe extends EventEmitter implements FrameSocket {
  readonly secure = true;
  constructor(private readonly toServer: (frame: string) => void) {
    super();
  }
  write(frame: string): void {
    setImmediate(() => this.toServer(frame));
  }
  end(): void {
    this.destroy();
  }
  destroy(): void {
    setImmediate(() => this.emit('close', false));
  }
}

function serveFrames(script: Script): { client: FramePipe; connection: ScriptedConnection } {
  const toClient = (frame: string | Uint8Array) =>
    new Promise<boolean>((resolve) => setImmediate(() => resolve(client.emit('data', typeof frame === 'string' ? frame : Buffer.from(frame).toString()))));
  const client: FramePipe = new FramePipe((frame) => {
    const element = parseXml(frame);
    if (!element) return;
    if (element.is('open', NS_FRAMING)) connection.opened();
    else if (element.is('close', NS_FRAMING)) connection.streamClosed = true;
    else connection.receive(element);
  });
  const connection = new ScriptedConnection(
    {
      write: toClient,
      open: (features) => {
        toClient(`<open xmlns='${NS_FRAMING}' from='localhost' id='scripted' version='1.0'/>`);
        toClient(`<stream:features xmlns:stream='http://etherx.jabber.org/streams'>${features}</stream:features>`);
      },
      restart: () => {},
      destroy: () => client.destroy(),
    },
    script,
  );
  return { client, connection };
}

export interface ScriptedServer {
  port: number;
  /** What the server does; a test may change it between connections. */
  script: Script;
  /** The next connection the server accepts (or one accepted and not taken yet). */
  connection(): Promise<ScriptedConnection>;
  /** A connection carrying frames, in process: the client's socket for the stream layer, and the server's side. */
  frames(): { client: FrameSocket; connection: ScriptedConnection };
  close(): Promise<void>;
}

export async function startScriptedServer(script: Script = {}): Promise<ScriptedServer> {
  const accepted: ScriptedConnection[] = [];
  const waiting: ((connection: ScriptedConnection) => void)[] = [];
  const server = tls.createServer({ key: testKey, cert: testCertificate }, (socket) => {
    const connection = serveBytes(socket, script);
    const waiter = waiting.shift();
    if (waiter) waiter(connection);
    else accepted.push(connection);
  });
  const port = await listenLocally(server);
  return {
    port,
    script,
    connection: () => {
      const connection = accepted.shift();
      return connection ? Promise.resolve(connection) : new Promise((resolve) => waiting.push(resolve));
    },
    frames: () => serveFrames(script),
    close: () => closeServer(server),
  };
}
