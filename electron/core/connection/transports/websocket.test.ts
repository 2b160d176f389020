import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';

import { MAX_STANZA_BYTES } from '../../stream/stanza-limit.js';
import { untilDisconnected } from '../../stream/testing/event-loop.js';
import { endlessStanza, writeInPieces } from '../../stream/testing/flood.js';
import { XmppStream } from '../../stream/xmpp-stream.js';
import { openWebSocket } from './websocket.js';

const NS_FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';
const FEATURES =
  "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>";

let server: WebSocketServer | undefined;
let stream: XmppStream | undefined;

afterEach(async () => {
  stream?.drop();
  for (const client of server?.clients ?? []) client.terminate();
  await new Promise((resolve) => server?.close(resolve));
});

/** An XMPP stream over WebSocket (RFC 7395) at the features of a server on loopback, and the server's side of it. */
async function streamAtFeatures(): Promise<{ stream: XmppStream; peer: WebSocket }> {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'xmpp' });
  await once(server, 'listening');
  const accepted = once(server, 'connection') as Promise<[WebSocket]>;
  server.on('connection', (peer: WebSocket) => {
    peer.on('message', (frame: Buffer) => {
      if (!frame.toString().startsWith('<open')) return;
      peer.send(`<open xmlns='${NS_FRAMING}' from='localhost' id='ws-1' version='1.0'/>`);
      peer.send(FEATURES);
    });
  });
  const { port } = server.address() as AddressInfo;
  const routeSocket = net.connect(port, '127.0.0.1');
  await once(routeSocket, 'connect');
  stream = await XmppStream.open(await openWebSocket(`ws://127.0.0.1:${port}/xmpp-websocket`, routeSocket, undefined), { domain: 'localhost' });
  const [peer] = await accepted;
  return { stream, peer };
}

/** Sends `text` as the next fragment of a text message that does not end; false once the connection is gone. */
function sendFragment(peer: WebSocket, text: string): Promise<boolean> {
  return new Promise((resolve) => peer.send(text, { fin: false }, (error) => resolve(!error)));
}

describe('a server that sends more than 256 KiB in one stanza over WebSocket', () => {
  it('has the WebSocket closed with 1009 (message too big) once a message that never ends passes the limit', async () => {
    const { stream, peer } = await streamAtFeatures();
    const closedBy = once(peer, 'close') as Promise<[number]>;
    const { goneAfterMs, longestStallMs } = await untilDisconnected(stream, () => writeInPieces((piece) => sendFragment(peer, piece), endlessStanza()));
    expect(stream.refusal).toMatchObject({ what: 'stanza', limitBytes: MAX_STANZA_BYTES });
    expect((await closedBy)[0]).toBe(1009);
    expect(goneAfterMs).toBeLessThan(2_000);
    expect(longestStallMs).toBeLessThan(100);
  });

  it('refuses a complete 20 MB frame from its length, without reading it', async () => {
    const { stream, peer } = await streamAtFeatures();
    const frame = Buffer.from(`<message from='bob@localhost/phone'><body>${'x'.repeat(20 * 1024 * 1024)}</body></message>`);
    const { goneAfterMs, longestStallMs } = await untilDisconnected(stream, async () => peer.send(frame, { binary: false }));
    expect(stream.refusal).toMatchObject({ what: 'stanza', limitBytes: MAX_STANZA_BYTES });
    expect(goneAfterMs).toBeLessThan(2_000);
    expect(longestStallMs).toBeLessThan(100);
  });
});
