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
  return async (candidate, signal) => {
    const client = createXmppClient(setup);
    const { entity } = client;
    const close = () => void entity.stop().catch(() => {});
    const routeOptions: RouteOptions = {
      signal,
      timeoutMs: setup.connectTimeoutMs ?? 10_000,
      ...(setup.systemProxy ? { systemProxy: setup.systemProxy } : {}),
    };
    try {
      const { Transport, socket } = await openTransport(candidate, setup, routeOptions);
      attachConnectedSocket(entity, Transport, socket);
      await untilFailure(client, signal, async () => {
        await entity.open({ domain: setup.domain, lang: setup.lang ?? 'en' });
        await client.features;
      });
      return { client, secure: entity.isSecure(), close };
    } catch (error) {
      close();
      throw error;
    }
  };
}

async function openTransport(
  { endpoint, route }: Candidate,
  setup: AttemptSetup,
  routeOptions: RouteOptions,
): Promise<{ Transport: typeof Connection; socket: ConnectionSocket }> {
  const trust = tlsTrustFor(setup.domain, setup.trust);
  const openSocket = () => openRouteSocket(route, endpoint, routeOptions);
  switch (endpoint.transport) {
    case 'starttls':
      return { Transport: ConnectionTCP, socket: plainTcp(await openSocket()) };
    case 'directtls':
      return { Transport: ConnectionTLS, socket: await startDirectTls(await openSocket(), trust) };
    case 'websocket':
      return {
        Transport: ConnectionWebSocket,
        socket: await openWebSocket(endpointUrl(endpoint), await openSocket(), endpoint.secure ? trust : undefined),
      };
    case 'bosh': {
      // Plain HTTP goes to an HTTP proxy as absolute-URI requests, which pass proxies that refuse CONNECT.
      const forwardProxy = route.kind === 'proxy' && route.proxy.type === 'http' && !endpoint.secure ? route.proxy : undefined;
      const socket = new BoshSocket(
        forwardProxy ? { forwardProxy } : { agent: routeAgent(openSocket, endpoint.secure ? trust : undefined), tls: trust },
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
