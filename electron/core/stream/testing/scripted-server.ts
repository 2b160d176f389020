// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="../xmpp.d.ts" />
/**
 * An XMPP server on 127.0.0.1 over direct TLS whose stream management a test scripts: it signs
 * anyone in (SASL PLAIN), binds, offers stream management, counts the client's stanzas once
 * it is enabled or resumed, and answers `<enable/>`, `<resume/>` and `<r/>` as the test says.
 */
import tls from 'node:tls';

import { Parser } from '@xmpp/xml';

import { closeServer, listenLocally } from '../../connection/testing/tcp-servers.js';
import { testCertificate, testKey } from '../../connection/testing/fake-xmpp-server.js';
import type { Element } from '../xml.js';

const NS_SM = 'urn:xmpp:sm:3';

/** How the server answers a stream management request: with this element, or not at all. */
export type Answer = string | 'silence';

export interface Script {
  /** Default: `<enabled id="sm-1" resume="true"/>`. */
  enable?: Answer;
  /** Default: silence. Given the `<resume/>`, the answer. */
  resume?: (request: Element) => Answer;
  /** Default: true. */
  answersAckRequests?: boolean;
}

export class ScriptedConnection {
  /** Every element the client sent after its stream header, in order. */
  readonly received: Element[] = [];
  /** The client's stanzas counted since stream management was enabled or resumed (the server's `h`), modulo 2^32. */
  inbound = 0;
  /** The client closed its stream (`</stream:stream>`). */
  streamClosed = false;
  #counting = false;
  #waiters: { matches(element: Element): boolean; resolve(element: Element): void }[] = [];

  constructor(
    private readonly socket: tls.TLSSocket,
    private readonly script: Script,
  ) {
    socket.on('error', () => {});
    this.#read(false);
  }

  /** Writes to the client as is. */
  write(text: string): void {
    this.socket.write(text);
  }

  /** The next element from the client with this name (maybe one already received and not waited for yet). */
  next(name: string, after = 0): Promise<Element> {
    const earlier = this.received.slice(after).find((element) => element.name === name);
    if (earlier) return Promise.resolve(earlier);
    return new Promise((resolve) => this.#waiters.push({ matches: (element) => element.name === name, resolve }));
  }

  /** Cuts the connection without a goodbye. */
  destroy(): void {
    this.socket.destroy();
  }

  #read(authenticated: boolean): void {
    const parser = new Parser();
    const onData = (chunk: Buffer) => parser.write(chunk.toString('utf8'));
    this.socket.on('data', onData);
    parser.on('start', () => {
      const features = authenticated
        ? `<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/><sm xmlns='${NS_SM}'/>`
        : "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>";
      this.write(
        "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' " +
          `id='scripted' from='localhost' version='1.0'><stream:features>${features}</stream:features>`,
      );
    });
    parser.on('end', () => (this.streamClosed = true));
    parser.on('element', (element: Element) => {
      this.received.push(element);
      this.#waiters = this.#waiters.filter((waiter) => !(waiter.matches(element) && (waiter.resolve(element), true)));
      if (element.name === 'auth') {
        // The client opens a new stream after <success/>: a new document for the parser.
        this.socket.off('data', onData);
        this.#read(true);
        this.write("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
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
    });
  }

  #answer(answer: Answer): void {
    if (answer !== 'silence') this.write(answer);
  }
}

export interface ScriptedServer {
  port: number;
  /** What the server does; a test may change it between connections. */
  script: Script;
  /** The next connection the server accepts (or one accepted and not taken yet). */
  connection(): Promise<ScriptedConnection>;
  close(): Promise<void>;
}

export async function startScriptedServer(script: Script = {}): Promise<ScriptedServer> {
  const accepted: ScriptedConnection[] = [];
  const waiting: ((connection: ScriptedConnection) => void)[] = [];
  const server = tls.createServer({ key: testKey, cert: testCertificate }, (socket) => {
    const connection = new ScriptedConnection(socket, script);
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
    close: () => closeServer(server),
  };
}
