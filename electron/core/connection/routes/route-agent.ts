import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';

import type { TlsTrust } from '../trust.js';
import { verifiedTls } from '../verified-tls.js';

/**
 * An HTTP(S) agent whose connections all go along one route (direct, CONNECT tunnel, SOCKS), for
 * BOSH. Keep-alive, so the held request and the sending request reuse their connections.
 */
export function routeAgent(openSocket: () => Promise<net.Socket>, tlsTrust?: TlsTrust): http.Agent {
  const agent = tlsTrust ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  agent.createConnection = (_options, callback) => {
    openSocket()
      .then((socket): Promise<net.Socket> | net.Socket => (tlsTrust ? verifiedTls(socket, tlsTrust) : socket))
      .then(
        (socket) => callback?.(null, socket),
        (error: Error) => callback?.(error, undefined as never),
      );
    return undefined;
  };
  return agent;
}
