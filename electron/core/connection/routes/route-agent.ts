import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';

import type { TlsTrust } from '../trust.js';
import { verifiedTls } from '../verified-tls.js';

export interface RouteAgentOptions {
  /** TLS over the route (https); plain HTTP without. */
  tlsTrust?: TlsTrust;
  /**
   * Opens a second connection as soon as the first is taken: BOSH keeps two requests open, and the
   * second should not wait for its own handshakes (through a proxy: TCP, CONNECT, TLS) when it is needed.
   */
  openSecondAhead?: boolean;
}

/**
 * An HTTP(S) agent whose connections all go along one route (direct, CONNECT tunnel, SOCKS), for
 * BOSH. Keep-alive, so the held request and the sending request reuse their connections.
 */
export function routeAgent(openSocket: () => Promise<net.Socket>, { tlsTrust, openSecondAhead = false }: RouteAgentOptions = {}): http.Agent {
  const agent = tlsTrust ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  const connect = () => openSocket().then((socket): Promise<net.Socket> | net.Socket => (tlsTrust ? verifiedTls(socket, tlsTrust) : socket));
  let opened = 0;
  let ahead: Promise<Waiting> | undefined;
  let destroyed = false;
  agent.createConnection = (_options, callback) => {
    // A connection opened ahead that failed, or that the server closed while it waited, is opened again now that it is wanted.
    const next = ahead ? ahead.then(({ socket, take }) => (socket.destroyed ? connect() : take())).catch(() => connect()) : connect();
    ahead = undefined;
    opened += 1;
    if (openSecondAhead && opened === 1) ahead = openAhead(connect);
    next.then(
      (socket) => {
        if (destroyed) socket.destroy();
        callback?.(null, socket);
      },
      (error: Error) => callback?.(error, undefined as never),
    );
    return undefined;
  };
  const destroy = agent.destroy.bind(agent);
  agent.destroy = () => {
    destroyed = true;
    ahead?.then(({ socket }) => socket.destroy()).catch(() => {});
    ahead = undefined;
    destroy();
  };
  return agent;
}

/** A connection opened ahead, waiting for the agent to want it. */
interface Waiting {
  socket: net.Socket;
  /** Hands it over: from then on the agent's request hears its errors. */
  take(): net.Socket;
}

/**
 * Opens a connection before anyone listens on it: an error while it waits (the server closing it)
 * is heard here instead of ending the process, and leaves it destroyed for the taker to replace.
 */
function openAhead(connect: () => Promise<net.Socket>): Promise<Waiting> {
  const waiting = connect().then((socket) => {
    const ignoreWhileWaiting = () => {};
    socket.on('error', ignoreWhileWaiting);
    return { socket, take: () => socket.off('error', ignoreWhileWaiting) };
  });
  waiting.catch(() => {});
  return waiting;
}
