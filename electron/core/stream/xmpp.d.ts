// Declarations for the public API of xmpp.js 0.14 that the stream layer uses (the packages ship no
// types): package main exports, their documented methods and events, and the members a transport
// subclass overrides the way xmpp.js's own transport packages do. Nothing private.

declare module '@xmpp/xml' {
  import { EventEmitter } from 'node:events';
  export class Element {
    constructor(name: string, attrs?: Record<string, string | undefined>);
    name: string;
    attrs: Record<string, string | undefined>;
    parent: Element | null;
    is(name: string, xmlns?: string): boolean;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    getChildElements(): Element[];
    append(...children: (Element | string)[]): Element;
    text(): string;
    toString(): string;
  }
  /** The incremental XML parser a transport reads its stream with: 'start' (the root), 'element' (each child), 'end', 'error'. */
  export class Parser extends EventEmitter {
    /** The document's root element, once its start tag is read. */
    root: Element | null;
    cursor: Element | null;
    onStartElement(name: string, attrs: Record<string, string>): void;
    onEndElement(name: string): void;
    onText(text: string): void;
    write(data: string): void;
    end(data?: string): void;
  }
  export class XMLError extends Error {}
  export function escapeXML(text: string): string;
  export function xml(
    name: string,
    attrs?: Record<string, string | undefined> | null,
    ...children: (Element | string | undefined | null | false)[]
  ): Element;
}

declare module '@xmpp/connection' {
  import { EventEmitter } from 'node:events';
  import type { Element, Parser } from '@xmpp/xml';

  /** What a transport's `Socket` class must be: connected by `connect()`, then 'connect', 'data', 'close', 'error'. */
  export interface ConnectionSocket extends EventEmitter {
    secure: boolean;
    connect(parameters: unknown): unknown;
    write(data: string, callback?: (error?: Error | null) => void): unknown;
    end(): unknown;
  }

  export interface ConnectionOptions {
    domain?: string;
    lang?: string;
    timeout?: number;
  }

  export default class Connection extends EventEmitter {
    constructor(options?: ConnectionOptions);
    isSecure(): boolean;
    connect(service: string): Promise<unknown>;
    open(options: { domain?: string; lang?: string }): Promise<Element>;
    restart(): Promise<Element>;
    stop(): Promise<unknown>;
    send(element: Element): Promise<void>;
    sendReceive(element: Element, timeout?: number): Promise<Element>;
    // Overridden by transports, as @xmpp/connection-tcp and @xmpp/websocket do.
    socketParameters(service: string): unknown;
    /** The text that opens a stream, written each time one opens (after STARTTLS and SASL too). */
    header(element: Element): string;
    headerElement(): Element;
    footerElement(): Element | undefined;
    NS: string;
    Socket: new () => ConnectionSocket;
    Parser: new () => Parser;
  }
}

declare module '@xmpp/connection-tcp' {
  import Connection from '@xmpp/connection';
  /** XMPP over a byte stream (RFC 6120): `<stream:stream>` framing. */
  export default class ConnectionTCP extends Connection {}
}

declare module '@xmpp/client-core' {
  import Connection from '@xmpp/connection';
  /** The entity @xmpp/client composes: a Connection that takes its framing from the transport `connect` picks from `transports`. */
  export class Client extends Connection {
    transports: (typeof Connection)[];
  }
}

declare module '@xmpp/middleware' {
  import type Connection from '@xmpp/connection';
  import type { Element } from '@xmpp/xml';
  export type MiddlewareHandler = (context: { stanza: Element }, next: () => Promise<unknown>) => unknown;
  export interface Middleware {
    /** Runs on every element received, in the order registered. */
    use(handler: MiddlewareHandler): void;
    /** Runs on every element sent, once it is written. */
    filter(handler: MiddlewareHandler): void;
  }
  export default function middleware(options: { entity: Connection }): Middleware;
}

declare module '@xmpp/stream-features' {
  import type Connection from '@xmpp/connection';
  import type { Middleware } from '@xmpp/middleware';
  import type { Element } from '@xmpp/xml';
  export interface StreamFeatures {
    use(
      name: string,
      xmlns: string,
      handler: (context: { entity: Connection; stanza: Element }, next: () => Promise<unknown>, feature: Element) => unknown,
    ): void;
  }
  export default function streamFeatures(options: { middleware: Middleware }): StreamFeatures;
}

declare module 'saslmechanisms' {
  export default class SASLFactory {
    use(mechanism: unknown): void;
    use(name: string, mechanism: unknown): void;
  }
}

declare module '@xmpp/sasl' {
  import type SASLFactory from 'saslmechanisms';
  import type { StreamFeatures } from '@xmpp/stream-features';
  export interface SaslCredentials {
    username: string;
    password: string;
  }
  /** Called when the server's mechanisms arrived; authentication proceeds when `done` is called. */
  export type OnAuthenticate = (
    done: (credentials: SaslCredentials, mechanism: string) => Promise<void>,
    mechanisms: string[],
  ) => Promise<void>;
  export default function sasl(options: { streamFeatures: StreamFeatures; saslFactory: SASLFactory }, onAuthenticate: OnAuthenticate): void;
}

declare module '@xmpp/sasl-plain' {
  import type SASLFactory from 'saslmechanisms';
  export default function plain(factory: SASLFactory): void;
}
