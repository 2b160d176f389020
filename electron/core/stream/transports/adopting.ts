// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="../xmpp.d.ts" />
import type Connection from '@xmpp/connection';
import type { ConnectionSocket } from '@xmpp/connection';

import type { AdoptedSocket } from '../adopted-socket.js';
import type { Element } from '../xml.js';

const NS_CLIENT = 'jabber:client';

/** The service name an adopting transport answers to in `entity.connect(service)`. */
export const ADOPTED_SERVICE = 'burrow:adopted-socket';

/**
 * A transport for one attempt: `Framing`'s framing over `socket`, already connected. xmpp.js
 * constructs a transport's `Socket` on `connect()`; this one's construction yields `socket`.
 */
export function adoptingTransport(Framing: typeof Connection, socket: AdoptedSocket): typeof Connection {
  class Adopting extends Framing {
    override socketParameters(service: string): unknown {
      return service === ADOPTED_SERVICE ? {} : undefined;
    }

    // Written as each stream opens, before the server's answer can come.
    override header(element: Element): string {
      socket.startsStream();
      return super.header(element);
    }
  }
  // xmpp.js reads nothing more once the server's stream ended; what still comes, the socket refuses.
  const FramingParser = Framing.prototype.Parser;
  Adopting.prototype.Parser = class extends FramingParser {
    constructor() {
      super();
      this.on('end', () => socket.streamEnded());
    }
  };
  // A client's stanzas are in jabber:client (RFC 6120 §4.8.3); @xmpp/connection-tcp leaves its
  // stream header's default namespace to the subclass, as @xmpp/tcp sets it for @xmpp/client.
  Adopting.prototype.NS = NS_CLIENT;
  // A constructor returning an object makes `new` yield that object.
  Adopting.prototype.Socket = function AdoptingSocket() {
    return socket;
  } as unknown as new () => ConnectionSocket;
  return Adopting;
}
