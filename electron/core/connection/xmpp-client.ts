// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="./types/xmpp.d.ts" />
/**
 * The XMPP entity, composed the way @xmpp/client composes it (stream features in priority order:
 * STARTTLS, SASL, stream management, resource binding), with two differences: STARTTLS uses
 * Burrow's certificate trust, and SASL waits to be told to go, so that a racing attempt stops
 * right after the stream features and only the winner ever authenticates (sign-in.ts).
 */
import { Client } from '@xmpp/client-core';
import { promise } from '@xmpp/events';
import iqCallerSetup from '@xmpp/iq/caller.js';
import type { IqCaller } from '@xmpp/iq/caller.js';
import middlewareSetup from '@xmpp/middleware';
import resourceBinding from '@xmpp/resource-binding';
import { canUpgrade } from '@xmpp/starttls/starttls.js';
import type { SaslCredentials } from '@xmpp/sasl';
import streamFeaturesSetup from '@xmpp/stream-features';
import streamManagementSetup from '@xmpp/stream-management';
import type { StreamManagement } from '@xmpp/stream-management';
import type { Element } from '@xmpp/xml';

import { signInWhenGiven } from './sign-in.js';
import { startTls } from './starttls.js';
import type { CertificateTrust } from './trust.js';

const NS_STREAM = 'http://etherx.jabber.org/streams';
const NS_TLS = 'urn:ietf:params:xml:ns:xmpp-tls';
const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';

export interface XmppClientOptions {
  domain: string;
  lang?: string;
  resource?: string;
  trust?: CertificateTrust;
  /** xmpp.js's timeout for each step of stream negotiation. */
  stepTimeoutMs?: number;
}

export interface XmppClient {
  entity: Client;
  iqCaller: IqCaller;
  streamManagement: StreamManagement;
  /**
   * The stream features the client can proceed with: those after STARTTLS, or the first ones when
   * the path offers no STARTTLS. Whether they came encrypted is `entity.isSecure()`.
   */
  features: Promise<Element>;
  /**
   * Goes on to SASL (SCRAM-SHA-256, SCRAM-SHA-1, or PLAIN over an encrypted channel only), stream
   * management and resource binding; resolves once online, with the SASL mechanism it signed in by.
   */
  authenticate(credentials: SaslCredentials, timeoutMs?: number): Promise<{ mechanism: string }>;
  /**
   * Abandons a path that stopped answering: the socket goes at once, with no closing of the
   * stream, so the server keeps the session for stream management to resume elsewhere.
   * 'disconnect' follows.
   */
  drop(): void;
}

export function createXmppClient(options: XmppClientOptions): XmppClient {
  const { domain, lang = 'en' } = options;
  const entity = new Client({ domain, lang, ...(options.stepTimeoutMs ? { timeout: options.stepTimeoutMs } : {}) });
  // An 'error' nobody listens to would crash the process, e.g. while an abandoned attempt closes;
  // whoever cares about errors listens as well.
  entity.on('error', () => {});
  // xmpp.js listens for the server's answer (e.g. its stream header in open()) only once the write's
  // callback has run; over loopback or a fast LAN the answer can arrive first and be missed. So a
  // write counts as done once it is queued on the socket.
  entity.write = async (data: string) => {
    if (entity.status === 'closing') throw new Error('the XMPP stream is closing');
    entity.socket?.write(data, (error) => {
      if (error) entity.emit('error', error);
    });
  };
  // xmpp.js stops listening to a socket once it closes, yet a write racing the close (an abandoned
  // attempt, a dropped path) still fails afterwards with an 'error' that nobody would handle.
  const attachSocket = entity._attachSocket.bind(entity);
  entity._attachSocket = (socket) => {
    toleratesLateErrors(socket);
    attachSocket(socket);
  };
  // On resuming, xmpp.js re-sends the unacknowledged stanzas with sendMany, which writes past the
  // middleware: stream management would not queue them again, and its count would drift from the
  // server's. Sent one by one through send, they are queued and counted like any other.
  entity.sendMany = async (elements: Element[]) => {
    for (const element of elements) await entity.send(element);
  };
  const middleware = middlewareSetup({ entity });
  const streamFeatures = streamFeaturesSetup({ middleware });
  const iqCaller = iqCallerSetup({ entity, middleware });

  let giveCredentials: (credentials: SaslCredentials) => void = () => {};
  const credentials = new Promise<SaslCredentials>((resolve) => (giveCredentials = resolve));

  startTls(streamFeatures, entity, domain, options.trust ?? {});
  const signIn = signInWhenGiven(streamFeatures, entity, credentials);
  const streamManagement = streamManagementSetup({ streamFeatures, entity, middleware });
  resourceBinding({ iqCaller, streamFeatures }, options.resource);

  const features = new Promise<Element>((resolve) => {
    const onElement = (element: Element) => {
      if (!element.is('features', NS_STREAM)) return;
      // Only a plain TCP stream gets upgraded; BOSH and WebSocket servers may list STARTTLS regardless.
      const upgradePending = canUpgrade(entity.socket) && element.getChild('starttls', NS_TLS) !== undefined;
      if (upgradePending) return;
      entity.off('element', onElement);
      resolve(element);
    };
    entity.on('element', onElement);
  });

  return {
    entity,
    iqCaller,
    streamManagement,
    features,
    authenticate: async (given, timeoutMs = 15_000) => {
      if (!(await features).getChild('mechanisms', NS_SASL)) {
        throw new Error('the server offers no way to sign in on this path (it may refuse to without encryption)');
      }
      const online = promise(entity, 'online', 'error', timeoutMs);
      giveCredentials(given);
      await online;
      return { mechanism: signIn.mechanism() };
    },
    drop: () => dropTransport(entity.socket),
  };
}

/** The socket and, for xmpp.js's wrappers, the TLS socket or WebSocket inside. */
function toleratesLateErrors(socket: unknown): void {
  for (const emitter of [socket, (socket as { socket?: unknown } | null)?.socket]) {
    (emitter as { on?: (event: 'error', listener: () => void) => void } | null | undefined)?.on?.('error', () => {});
  }
}

/**
 * Each transport's way to go without a goodbye: xmpp.js wraps a WebSocket (terminate) or a TLS
 * socket (destroy) in its own socket object; a STARTTLS socket and Burrow's BOSH destroy directly.
 */
function dropTransport(socket: unknown): void {
  const transport = socket as {
    destroy?: () => void;
    socket?: { terminate?: () => void; destroy?: () => void };
  } | null;
  const inner = transport?.socket;
  if (inner?.terminate) inner.terminate();
  else if (inner?.destroy) inner.destroy();
  else transport?.destroy?.();
}
