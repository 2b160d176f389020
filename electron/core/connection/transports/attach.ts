// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="../types/xmpp.d.ts" />
import type { Client } from '@xmpp/client-core';
import type Connection from '@xmpp/connection';
import type { ConnectionSocket } from '@xmpp/connection';

/**
 * Hands an already connected socket to the entity as @xmpp/resolve does, so the transport class
 * decides the framing and STARTTLS can still upgrade a plain TCP socket.
 */
export function attachConnectedSocket(entity: Client, Transport: typeof Connection, socket: ConnectionSocket): void {
  entity.Transport = Transport;
  entity.Socket = Transport.prototype.Socket;
  entity.Parser = Transport.prototype.Parser;
  entity._attachSocket(socket);
  socket.emit('connect');
}
