import type net from 'node:net';
import tls from 'node:tls';

import type { TlsTrust } from '../trust.js';

/** Direct TLS (XEP-0368) over a route socket; ALPN "xmpp-client" lets a shared port 443 tell XMPP from HTTPS. */
export async function startDirectTls(routeSocket: net.Socket, trust: TlsTrust): Promise<tls.TLSSocket> {
  const socket = tls.connect({ socket: routeSocket, ALPNProtocols: ['xmpp-client'], ...trust });
  socket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', resolve);
    socket.once('error', reject);
    // The route socket destroyed under a handshake that never finished (the attempt cancelled or out of time).
    socket.once('close', () => reject(new Error('the connection closed before TLS was set up')));
  });
  return socket;
}
