/**
 * One attempt of the race: the candidate's route, then its transport, then the XMPP stream up to
 * the features the client would authenticate on. Nothing is authenticated here.
 */
import { once } from 'node:events';
import type net from 'node:net';

import type { FrameSocket } from '../stream/adopted-socket.js';
import { XmppStream } from '../stream/xmpp-stream.js';
import type { XmppStreamOptions } from '../stream/xmpp-stream.js';
import { formatHostPort } from '../../contract/attempt-words.js';
import { BoshSocket } from './bosh.js';
import type { BoshOptions } from './bosh.js';
import { endpointUrl } from '../../contract/attempt-words.js';
import type { Candidate } from './candidate.js';
import { NoAnswerError } from './errors.js';
import type { HttpStack } from './http-stack.js';
import { planAllows } from './plan.js';
import type { Attempt, EstablishedPath } from './race.js';
import { openRouteSocket } from './routes/open-route.js';
import type { RouteOptions } from './routes/open-route.js';
import { routeAgent } from './routes/route-agent.js';
import type { ProxyLogins } from './routes/proxy-logins.js';
import type { ProxyResolver } from './routes/system-proxy.js';
import { openWebSocket } from './transports/websocket.js';
import { tlsTrustFor } from './trust.js';
import type { CertificateTrust, TlsTrust } from './trust.js';
import { verifiedTls } from './verified-tls.js';

export interface AttemptSetup extends Omit<XmppStreamOptions, 'startTls'> {
  trust?: CertificateTrust;
  /** How long a TCP connection or proxy handshake may take; the race's deadline still applies. */
  connectTimeoutMs?: number;
  /**
   * How long, once the route is open, TLS, the transport's handshake and the stream's features may
   * take: a server that accepted the connection and then says nothing (one starting or stopping)
   * fails the attempt, instead of holding the race to its deadline.
   */
  negotiateTimeoutMs?: number;
  systemProxy?: ProxyResolver;
  /** Carries the candidates the plan put on the system's network stack (Electron: Chromium's). */
  systemNetworkStack?: HttpStack;
  /** Shared by the race's attempts: at most one failed login per proxy. */
  logins?: ProxyLogins;
  /**
   * The plan's rule (false when not given): an unencrypted path it does not allow is only probed,
   * and the proxy credentials are not sent along it.
   */
  allowUnencrypted?: boolean;
}

export interface XmppPath extends EstablishedPath {
  client: XmppStream;
}

export function xmppAttempt(setup: AttemptSetup): Attempt<XmppPath> {
  return async (candidate, signal, stages) => {
    const routeOptions: RouteOptions = {
      signal,
      timeoutMs: setup.connectTimeoutMs ?? 10_000,
      ...(setup.systemProxy ? { systemProxy: setup.systemProxy } : {}),
      ...(setup.logins ? { logins: setup.logins } : {}),
      ...(planAllows(candidate.endpoint, setup.allowUnencrypted ?? false) ? {} : { withholdCredentials: true }),
    };
    let route: ReachedRoute | undefined;
    const onAbort = () => route?.close();
    const negotiateTimeoutMs = setup.negotiateTimeoutMs ?? 10_000;
    const negotiation = new AbortController();
    let negotiationTimer: NodeJS.Timeout | undefined;
    try {
      // The reach stage: the route socket alone, cheap enough for the race to open every candidate's at once.
      route = await reachRoute(candidate, routeOptions);
      // The XMPP stage, when the race says: TLS, the stream, its features.
      await stages?.reached();
      signal.throwIfAborted();
      signal.addEventListener('abort', onAbort, { once: true });
      negotiationTimer = setTimeout(() => {
        negotiation.abort();
        onAbort();
      }, negotiateTimeoutMs);
      const trust = tlsTrustFor(setup.domain, setup.trust);
      const negotiating = AbortSignal.any([signal, negotiation.signal]);
      // A handshake whose socket went before it began hears nothing more: the signal, not the socket, ends the wait.
      const carrier = await unlessAborted(openTransport(candidate, trust, route, routeOptions, setup.systemNetworkStack), negotiating, (late) => late.destroy());
      // Direct TLS and wss are encrypted once open; STARTTLS once upgraded; BOSH's TLS goes with its first request.
      const { transport, secure } = candidate.endpoint;
      if (transport === 'directtls' || (transport === 'websocket' && secure)) stages?.secured();
      const startTls = async (plain: net.Socket) => {
        const secured = await verifiedTls(plain, trust);
        stages?.secured();
        return secured;
      };
      const client = await XmppStream.open(carrier, { ...setup, startTls }, negotiating);
      return { client, secure: client.secure, close: () => void client.stop() };
    } catch (error) {
      route?.close();
      if (negotiation.signal.aborted && !signal.aborted) throw new NoAnswerError(formatHostPort(candidate.endpoint.host, candidate.endpoint.port), negotiateTimeoutMs);
      throw error;
    } finally {
      clearTimeout(negotiationTimer);
      signal.removeEventListener('abort', onAbort);
    }
  };
}

/** Settles as `work` does, or rejects once `signal` aborts; what `work` yields after that goes to `letGo`. */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal, letGo: (late: T) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason);
      work.then(letGo, () => {});
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
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
  // Plain HTTP goes to an HTTP proxy as absolute-URI requests, which pass proxies that refuse CONNECT,
  // and the system's network stack opens its own connections: nothing to open ahead.
  if (forwardProxyOf({ endpoint, route }) || onSystemNetworkStack(route)) return { take: open, close: () => {} };
  let first: net.Socket | undefined = await open();
  const reached = first;
  // While the race holds the attempt back, nothing else listens on the socket: a reset then (a
  // server restarting) is this attempt's failure, not an error nobody hears, which ends the process.
  let reset: Error | undefined;
  reached.on('error', (error) => (reset ??= error));
  return {
    take: () => {
      const socket = first;
      first = undefined;
      if (reset) return Promise.reject(reset);
      if (socket?.destroyed) return Promise.reject(new Error('the connection was closed before XMPP started'));
      return socket ? Promise.resolve(socket) : open();
    },
    close: () => reached.destroy(),
  };
}

function onSystemNetworkStack(route: Candidate['route']): boolean {
  return route.kind === 'system' && route.systemNetworkStack === true;
}

function forwardProxyOf({ endpoint, route }: Candidate) {
  return route.kind === 'proxy' && route.proxy.type === 'http' && endpoint.transport === 'bosh' && !endpoint.secure ? route.proxy : undefined;
}

/** The transport's socket, connected: TCP (STARTTLS follows in the stream), TLS, a WebSocket, or a BOSH session. */
async function openTransport(
  { endpoint, route }: Candidate,
  trust: TlsTrust,
  reached: ReachedRoute,
  routeOptions: RouteOptions,
  systemNetworkStack: HttpStack | undefined,
): Promise<net.Socket | FrameSocket> {
  switch (endpoint.transport) {
    case 'starttls':
      return reached.take();
    case 'directtls':
      // ALPN "xmpp-client" lets a shared port 443 tell XMPP from HTTPS (XEP-0368).
      return verifiedTls(await reached.take(), trust, ['xmpp-client']);
    case 'websocket':
      return openWebSocket(endpointUrl(endpoint), await reached.take(), endpoint.secure ? trust : undefined);
    case 'bosh': {
      const socket = new BoshSocket(boshCarrier({ endpoint, route }, trust, reached, routeOptions, systemNetworkStack));
      socket.connect(endpointUrl(endpoint));
      await once(socket, 'connect');
      return socket;
    }
  }
}

/** Who carries BOSH's requests: the system's network stack, a forward proxy, or Burrow's agent along the route. */
function boshCarrier(
  { endpoint, route }: Candidate,
  trust: TlsTrust,
  reached: ReachedRoute,
  { logins, withholdCredentials }: RouteOptions,
  systemNetworkStack: HttpStack | undefined,
): BoshOptions {
  if (onSystemNetworkStack(route)) {
    if (!systemNetworkStack) throw new Error("the system's network stack is not available here");
    return { http: systemNetworkStack };
  }
  const forwardProxy = forwardProxyOf({ endpoint, route });
  // Plain HTTP logs in to the proxy too: through the race's logins, never beside a tunnel's.
  if (forwardProxy) {
    return { forwardProxy: { ...forwardProxy, ...(logins ? { logins } : {}), ...(withholdCredentials ? { withholdCredentials } : {}) } };
  }
  return { agent: routeAgent(reached.take, { ...(endpoint.secure ? { tlsTrust: trust } : {}), openSecondAhead: true }), tls: trust };
}
