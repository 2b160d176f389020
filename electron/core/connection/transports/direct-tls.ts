// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="../types/xmpp.d.ts" />
import type net from 'node:net';
import tls from 'node:tls';

import { promise } from '@xmpp/events';
import TlsSocket from '@xmpp/tls/lib/Socket.js';

import type { TlsTrust } from '../trust.js';

/** Direct TLS (XEP-0368) over a route socket; ALPN "xmpp-client" lets a shared port 443 tell XMPP from HTTPS. */
export async function startDirectTls(routeSocket: net.Socket, trust: TlsTrust): Promise<TlsSocket> {
  const socket = new TlsSocket();
  socket._attachSocket(tls.connect({ socket: routeSocket, ALPNProtocols: ['xmpp-client'], ...trust }));
  await promise(socket, 'connect', 'error');
  return socket;
}
