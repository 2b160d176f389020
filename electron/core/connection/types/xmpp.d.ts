// Minimal declarations for the parts of xmpp.js 0.14 that Burrow uses (the packages ship no types).

declare module '@xmpp/xml' {
  export class Element {
    constructor(name: string, attrs?: Record<string, string | undefined>);
    name: string;
    attrs: Record<string, string | undefined>;
    children: (Element | string)[];
    parent: Element | null;
    is(name: string, xmlns?: string): boolean;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildText(name: string, xmlns?: string): string | null;
    getChildElements(): Element[];
    text(): string;
    toString(): string;
  }
  export function escapeXML(text: string): string;
  export function xml(
    name: string,
    attrs?: Record<string, string | undefined> | null,
    ...children: (Element | string | undefined | null | false)[]
  ): Element;
}

declare module '@xmpp/xml/lib/parse.js' {
  import type { Element } from '@xmpp/xml';
  /** Parses one complete XML document; throws on malformed input. */
  export default function parse(text: string): Element | null;
}

declare module '@xmpp/connection' {
  import { EventEmitter } from 'node:events';
  import type { Element } from '@xmpp/xml';

  export interface ConnectionSocket extends EventEmitter {
    secure: boolean;
    connect(parameters: unknown): unknown;
    write(data: string, callback?: (error?: Error | null) => void): unknown;
    end(): unknown;
  }

  export interface ConnectionOptions {
    service?: string;
    domain?: string;
    lang?: string;
    timeout?: number;
  }

  export default class Connection extends EventEmitter {
    constructor(options?: ConnectionOptions);
    options: ConnectionOptions;
    status: string;
    socket: ConnectionSocket | null;
    timeout: number;
    Socket: new () => ConnectionSocket;
    Parser: unknown;
    isSecure(): boolean;
    start(): Promise<unknown>;
    connect(service: string): Promise<unknown>;
    open(options: { domain?: string; lang?: string }): Promise<Element>;
    restart(): Promise<Element>;
    stop(): Promise<unknown>;
    disconnect(): Promise<unknown>;
    send(element: Element): Promise<void>;
    sendMany(elements: Element[]): Promise<void>;
    sendReceive(element: Element, timeout?: number): Promise<Element>;
    write(data: string): Promise<void>;
    socketParameters(service: string): unknown;
  }
}

declare module '@xmpp/websocket/lib/Connection.js' {
  import Connection from '@xmpp/connection';
  /** XMPP over WebSocket (RFC 7395): `<open/>`/`<close/>` framing, one element per frame. */
  export default class ConnectionWebSocket extends Connection {}
}

declare module '@xmpp/client-core' {
  import Connection from '@xmpp/connection';
  import type { ConnectionSocket } from '@xmpp/connection';
  /** The entity @xmpp/client composes: a Connection that delegates framing to the chosen transport class. */
  export class Client extends Connection {
    transports: (typeof Connection)[];
    Transport: typeof Connection;
    jid: { toString(): string } | null;
    _attachSocket(socket: ConnectionSocket): void;
  }
}

declare module '@xmpp/middleware' {
  import type Connection from '@xmpp/connection';
  export interface Middleware {
    use(handler: (context: unknown, next: () => Promise<unknown>) => unknown): void;
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

declare module '@xmpp/iq/caller.js' {
  import type Connection from '@xmpp/connection';
  import type { Middleware } from '@xmpp/middleware';
  import type { Element } from '@xmpp/xml';
  export interface IqCaller {
    request(stanza: Element, timeout?: number): Promise<Element>;
  }
  export default function iqCaller(options: { entity: Connection; middleware: Middleware }): IqCaller;
}

declare module '@xmpp/resource-binding' {
  import type { IqCaller } from '@xmpp/iq/caller.js';
  import type { StreamFeatures } from '@xmpp/stream-features';
  export default function resourceBinding(options: { iqCaller: IqCaller; streamFeatures: StreamFeatures }, resource?: string): void;
}

declare module '@xmpp/stream-management' {
  import type { EventEmitter } from 'node:events';
  import type Connection from '@xmpp/connection';
  import type { Middleware } from '@xmpp/middleware';
  import type { StreamFeatures } from '@xmpp/stream-features';
  export interface StreamManagement extends EventEmitter {
    enabled: boolean;
    id: string;
    inbound: number;
    outbound: number;
  }
  export default function streamManagement(options: {
    streamFeatures: StreamFeatures;
    entity: Connection;
    middleware: Middleware;
  }): StreamManagement;
}

declare module '@xmpp/starttls/starttls.js' {
  import type { ConnectionSocket } from '@xmpp/connection';
  import type { ConnectionOptions } from 'node:tls';
  /** True for a plain TCP socket that TLS can still be started on. */
  export function canUpgrade(socket: unknown): boolean;
  export function upgrade(socket: unknown, options: ConnectionOptions): Promise<ConnectionSocket>;
}

declare module '@xmpp/tcp/lib/Connection.js' {
  import Connection from '@xmpp/connection';
  export default class ConnectionTCP extends Connection {}
}

declare module '@xmpp/tls/lib/Connection.js' {
  import ConnectionTCP from '@xmpp/tcp/lib/Connection.js';
  export default class ConnectionTLS extends ConnectionTCP {}
}

declare module '@xmpp/tls/lib/Socket.js' {
  import { EventEmitter } from 'node:events';
  import type { TLSSocket } from 'node:tls';
  /** Wraps a node TLSSocket; emits 'connect' once the handshake is done. */
  export default class TlsSocket extends EventEmitter {
    secure: boolean;
    socket: TLSSocket | null;
    _attachSocket(socket: TLSSocket): void;
    connect(...args: unknown[]): void;
    write(data: string, callback?: (error?: Error) => void): void;
    end(): void;
  }
}

declare module '@xmpp/websocket/lib/Socket.js' {
  import { EventEmitter } from 'node:events';
  /** Wraps a WHATWG-style WebSocket (the `ws` package's EventTarget interface fits). */
  export default class WebSocketSocket extends EventEmitter {
    secure: boolean;
    url: string | null;
    _attachSocket(socket: unknown): void;
    connect(url: string): void;
    write(data: string, callback?: (error?: Error) => void): void;
    end(): void;
  }
}

declare module '@xmpp/events' {
  import type { EventEmitter } from 'node:events';
  /** Resolves with the first `event`, rejects on `rejectEvent` or after `timeout` ms. */
  export function promise<T = unknown>(target: EventEmitter, event: string, rejectEvent?: string, timeout?: number): Promise<T>;
}
