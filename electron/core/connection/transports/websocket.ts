// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="../types/xmpp.d.ts" />
import type net from 'node:net';
import tls from 'node:tls';

import { promise } from '@xmpp/events';
import WebSocketSocket from '@xmpp/websocket/lib/Socket.js';
import WebSocket from 'ws';

import type { TlsTrust } from '../trust.js';

/**
 * XMPP over WebSocket (RFC 7395) with the `ws` package over a route socket; xmpp.js's socket
 * wrapper speaks to it through its EventTarget interface. `trust` is given for wss only.
 */
export async function openWebSocket(url: string, routeSocket: net.Socket, trust: TlsTrust | undefined): Promise<WebSocketSocket> {
  const webSocket = new WebSocket(url, ['xmpp'], {
    createConnection: () => (trust ? tls.connect({ socket: routeSocket, ALPNProtocols: ['http/1.1'], ...trust }) : routeSocket),
  });
  const socket = new WebSocketSocket();
  socket.url = url;
  socket.secure = trust !== undefined;
  socket._attachSocket(webSocket);
  await promise(socket, 'connect', 'error');
  return socket;
}
