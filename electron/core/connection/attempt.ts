// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="./types/xmpp.d.ts" />
/**
 * One attempt of the race: the candidate's route, then its transport, then the XMPP stream up to
 * the features the client would authenticate on. Nothing is authenticated here.
 */
import type net from 'node:net';

import type Connection from '@xmpp/connection';
import { promise } from '@xmpp/events';
import type { ConnectionSocket } from '@xmpp/connection';
import ConnectionTCP from '@xmpp/tcp/lib/Connection.js';
import ConnectionTLS from '@xmpp/tls/lib/Connection.js';
import ConnectionWebSocket from '@xmpp/websocket/lib/Connection.js';

import { BoshSocket, ConnectionBosh } from './bosh.js';
import { endpointUrl } from './candidate.js';
import type { Candidate } from './candidate.js';
import type { Attempt, EstablishedPath } from './race.js';
import { openRouteSocket } from './routes/open-route.js';
import type { RouteOptions } from './routes/open-route.js';
import { routeAgent } from './routes/route-agent.js';
import type { ProxyResolver } from './routes/system-proxy.js';
import { attachConnectedSocket } from './transports/attach.js';
import { startDirectTls } from './transports/direct-tls.js';
import { openWebSocket } from './transports/websocket.js';
import { tlsTrustFor } from './trust.js';
import { createXmppClient } from './xmpp-client.js';
import type { XmppClient, XmppClientOptions } from './xmpp-client.js';

export interface AttemptSetup extends XmppClientOptions {
  /** How long a TCP connection or proxy handshake may take; the race's deadline still applies. */
  connectTimeoutMs?: number;
  systemProxy?: ProxyResolver;
}

export interface XmppPath extends EstablishedPath {
  client: XmppClient;
}

export function xmppAttempt(setup: AttemptSetup): Attempt<XmppPath> {
  return async (candidate, signal, stages) => {
    const client = createXmppClient(setup);
    const { entity } = client;
    const close = () => void entity.stop().catch(() => {});
    const routeOptions: RouteOptions = {
      signal,
      timeoutMs: setup.connectTimeoutMs ?? 10_000,
      ...(setup.systemProxy ? { systemProxy: setup.systemProxy } : {}),
    };
    let route: ReachedRoute | undefined;
    const onAbort = () => route?.close();
    try {
      // The reach stage: the route socket alone, cheap enough for the race to open every candidate's at once.
      route = await reachRoute(candidate, routeOptions);
      // The XMPP stage, when the race says: TLS, the stream, its features.
      await stages?.reached();
      signal.throwIfAborted();
      signal.addEventListener('abort', onAbort, { once: true });
      const { Transport, socket } = await openTransport(candidate, setup, route);
      attachConnectedSocket(entity, Transport, socket);
      await untilFailure(client, signal, async () => {
        await entity.open({ domain: setup.domain, lang: setup.lang ?? 'en' });
        await client.features;
      });
      return { client, secure: entity.isSecure(), close };
    } catch (error) {
      route?.close();
      close();
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };
}

/** A route opened ahead of its transport: the first socket, and more along the same route (BOSH needs two). */
interface ReachedRoute {
  /** The socket opened in the reach stage the first time, a new one along the route after that. */
  take(): Promise<net.Socket>;
  /** Destroys the reach stage's socket (harmless once the transport has it and failed or was cancelled). */
  close(): void;
}

async function reachRoute({ endpoint, route }: Candidate, routeOptions: RouteOptions): Promise<ReachedRoute> {
  // XMPP is small interactive writes: Nagle's algorithm would hold one back for the peer's (delayed) ACK.
  const open = () => openRouteSocket(route, endpoint, routeOptions).then((socket) => socket.setNoDelay(true));
  // Plain HTTP goes to an HTTP proxy as absolute-URI requests, which pass proxies that refuse CONNECT: nothing to open ahead.
  if (forwardProxyOf({ endpoint, route })) return { take: open, close: () => {} };
  let first: net.Socket | undefined = await open();
  const reached = first;
  return {
    take: () => {
      const socket = first;
      first = undefined;
      return socket ? Promise.resolve(socket) : open();
    },
    close: () => reached.destroy(),
  };
}

function forwardProxyOf({ endpoint, route }: Candidate) {
  return route.kind === 'proxy' && route.proxy.type === 'http' && endpoint.transport === 'bosh' && !endpoint.secure ? route.proxy : undefined;
}

async function openTransport(
  { endpoint, route }: Candidate,
  setup: AttemptSetup,
  reached: ReachedRoute,
): Promise<{ Transport: typeof Connection; socket: ConnectionSocket }> {
  const trust = tlsTrustFor(setup.domain, setup.trust);
  switch (endpoint.transport) {
    case 'starttls':
      return { Transport: ConnectionTCP, socket: plainTcp(await reached.take()) };
    case 'directtls':
      return { Transport: ConnectionTLS, socket: await startDirectTls(await reached.take(), trust) };
    case 'websocket':
      return {
        Transport: ConnectionWebSocket,
        socket: await openWebSocket(endpointUrl(endpoint), await reached.take(), endpoint.secure ? trust : undefined),
      };
    case 'bosh': {
      const forwardProxy = forwardProxyOf({ endpoint, route });
      const socket = new BoshSocket(
        forwardProxy ? { forwardProxy } : { agent: routeAgent(reached.take, endpoint.secure ? trust : undefined), tls: trust },
      );
      socket.connect(endpointUrl(endpoint));
      await promise(socket, 'connect');
      return { Transport: ConnectionBosh, socket };
    }
  }
}

/** A route's raw socket as xmpp.js's TCP transport sees it: not secure until STARTTLS. */
function plainTcp(socket: net.Socket): ConnectionSocket {
  return Object.assign(socket, { secure: false });
}

/** Runs `work` until it is done, the entity reports an error, the connection drops, or the race cancels. */
function untilFailure(client: XmppClient, signal: AbortSignal, work: () => Promise<unknown>): Promise<void> {
  const { entity } = client;
  return new Promise((resolve, reject) => {
    const onError = (error: unknown) => finish(() => reject(error));
    const onDisconnect = () =>
      finish(() => reject(Object.assign(new Error('the server closed the connection before its stream features'), { code: 'ECONNRESET' })));
    const onAbort = () => finish(() => reject(signal.reason));
    function finish(settle: () => void) {
      entity.off('error', onError);
      entity.off('disconnect', onDisconnect);
      signal.removeEventListener('abort', onAbort);
      settle();
    }
    entity.on('error', onError);
    entity.on('disconnect', onDisconnect);
    signal.addEventListener('abort', onAbort, { once: true });
    work().then(
      () => finish(resolve),
      (error: unknown) => finish(() => reject(error)),
    );
  });
}
