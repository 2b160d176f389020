import { EventEmitter } from 'node:events';
import type net from 'node:net';

import WebSocket from 'ws';

import type { FrameSocket } from '../../stream/adopted-socket.js';
import { MalformedXmlError, TooLargeError } from '../../stream/errors.js';
import type { Refusal } from '../../stream/errors.js';
import { MAX_STANZA_BYTES } from '../../stream/stanza-limit.js';
import type { TlsTrust } from '../trust.js';
import { verifiedTls } from '../verified-tls.js';

/**
 * XMPP over WebSocket (RFC 7395) with the `ws` package over a route socket, as a carrier of frames
 * for the stream layer. `trust` is given for wss only.
 */
export async function openWebSocket(url: string, routeSocket: net.Socket, trust: TlsTrust | undefined): Promise<FrameSocket> {
  // The certificate is verified before ws sends its upgrade request.
  const carrier = trust ? await verifiedTls(routeSocket, trust, ['http/1.1']) : routeSocket;
  const webSocket = new WebSocket(url, ['xmpp'], {
    createConnection: () => carrier,
    // One frame is one stanza (RFC 7395): a longer one is refused from its length, before it is read.
    maxPayload: MAX_STANZA_BYTES,
  });
  webSocket.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    webSocket.once('open', resolve);
    webSocket.once('error', reject);
    webSocket.once('close', () => reject(new Error('the connection closed before the WebSocket opened')));
  });
  return new WebSocketFrames(webSocket, trust !== undefined);
}

class WebSocketFrames extends EventEmitter implements FrameSocket {
  constructor(
    private readonly webSocket: WebSocket,
    readonly secure: boolean,
  ) {
    super();
    webSocket.on('message', (data: WebSocket.RawData) => this.emit('data', data.toString()));
    webSocket.on('error', (error: Error) => {
      const refusal = refusalOf(error);
      if (!refusal) return void this.emit('error', error);
      this.emit('error', refusal);
      // ws has sent its close (1009, message too big; 1007, not UTF-8); a server that never answers it is not waited for.
      webSocket.terminate();
    });
    // A close handshake is a clean end; anything else (1006: the connection just went) is not.
    webSocket.on('close', (code: number, reason: Buffer) => this.emit('close', code !== 1000, reason.toString()));
  }

  write(frame: string, callback?: (error?: Error | null) => void): void {
    this.webSocket.send(frame, callback);
  }

  end(): void {
    this.webSocket.close();
  }

  destroy(): void {
    this.webSocket.terminate();
  }
}

/** What ws refused of the server's frames, in the stream layer's words. */
function refusalOf(error: Error): Refusal | null {
  switch ((error as { code?: unknown }).code) {
    case 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH':
      return new TooLargeError('stanza', MAX_STANZA_BYTES);
    case 'WS_ERR_INVALID_UTF8':
      return new MalformedXmlError('bytes that are not UTF-8', 'unsupported-encoding');
    default:
      return null;
  }
}
