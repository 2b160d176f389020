import { once } from 'node:events';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type WebSocket from 'ws';

import { MalformedXmlError } from '../../stream/errors.js';
import { MAX_STANZA_BYTES } from '../../stream/stanza-limit.js';
import { watchEscapes } from '../../stream/testing/escapes.js';
import { untilDisconnected } from '../../stream/testing/event-loop.js';
import { endlessStanza, writeInPieces } from '../../stream/testing/flood.js';
import { parseXml } from '../../stream/xml.js';
import { XmppStream } from '../../stream/xmpp-stream.js';
import { CertificateError } from '../errors.js';
import { selfSignedLocalhost, startCountingTlsServer } from '../testing/certificate-fixtures.js';
import { closeServer } from '../testing/tcp-servers.js';
import { tlsTrustFor } from '../trust.js';
import { openWebSocket } from './websocket.js';

const NS_FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';
const NS_STREAMS = 'urn:ietf:params:xml:ns:xmpp-streams';
const FEATURES =
  "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>";

let server: WebSocketServer | undefined;
let stream: XmppStream | undefined;
/** What a hostile server answers `<open/>` with, frame by frame, instead of its own and its features. */
let greeting: (string | Buffer)[] | undefined;

afterEach(async () => {
  stream?.drop();
  for (const client of server?.clients ?? []) client.terminate();
  if (server) await new Promise((resolve) => server?.close(resolve));
  [server, stream, greeting] = [undefined, undefined, undefined];
});

/** A server on loopback that answers `<open/>` with its own and its features (or `greeting`), and the frames each client sent it. */
async function startServer(): Promise<{ server: WebSocketServer; received: Map<WebSocket, string[]> }> {
  const started = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'xmpp' });
  await once(started, 'listening');
  const received = new Map<WebSocket, string[]>();
  started.on('connection', (peer: WebSocket) => {
    received.set(peer, []);
    peer.on('message', (frame: Buffer) => {
      received.get(peer)?.push(frame.toString());
      if (!frame.toString().startsWith('<open')) return;
      for (const answer of greeting ?? [`<open xmlns='${NS_FRAMING}' from='localhost' id='ws-1' version='1.0'/>`, FEATURES]) peer.send(answer, { binary: false });
    });
  });
  server = started;
  return { server: started, received };
}

/** An XMPP stream over WebSocket (RFC 7395) at the features of a server on loopback (a new one unless given), and the server's side of it. */
async function streamAtFeatures(on?: WebSocketServer): Promise<{ stream: XmppStream; peer: WebSocket }> {
  const listening = on ?? (await startServer()).server;
  const accepted = once(listening, 'connection') as Promise<[WebSocket]>;
  const { port } = listening.address() as AddressInfo;
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

describe('a server that sends XML that is not well-formed over WebSocket', () => {
  let watch: ReturnType<typeof watchEscapes>;
  beforeEach(() => {
    watch = watchEscapes();
  });
  afterEach(() => watch.stop());

  /** What the server sends after the features, frame by frame; the detail Burrow gives. */
  const frames: [string, string[], string][] = [
    ['an end tag that closes no element', ['</a>'], 'an end tag closes no element'],
    ['the end of its stream, then an end tag', [`<close xmlns='${NS_FRAMING}'/>`, '</x>'], 'an end tag closes no element'],
    ['the end of its stream, then a second root', [`<close xmlns='${NS_FRAMING}'/>`, "<message from='bob@localhost/phone'/>"], 'more after the end of its stream'],
    ['two roots in one frame', ["<message from='bob@localhost/phone'/><presence/>"], 'a second root element'],
    ['an attribute whose quote is left open', ["<message from='bob@localhost/phone><body>hi</body></message>"], "a '<' in an attribute value (a quote left open?)"],
    ['a frame that ends inside an element', ["<message from='bob@localhost/phone'><body>hi", '</body></message>'], 'a frame that ends inside an element'],
    ['an end tag that closes another element', ['<message><body>hi</body></presence>'], '</presence> closes <message>'],
    ['an entity XML does not define', ['<message><body>caf&eacute;</body></message>'], 'Illegal XML entity &eacute;'],
  ];

  it.each(frames)('closes the stream at once on %s, saying why, and the next stream works', async (_, pieces, detail) => {
    const { server, received } = await startServer();
    const { stream, peer } = await streamAtFeatures(server);
    const send = (frame: string) => new Promise<boolean>((resolve) => peer.send(frame, (error) => resolve(!error)));
    const { goneAfterMs } = await untilDisconnected(stream, () => writeInPieces(send, pieces));
    expect(watch.escaped).toEqual([]);
    expect(stream.refusal).toEqual(new MalformedXmlError(detail));
    const goodbye = () => received.get(peer)?.map((frame) => parseXml(frame)).find((element) => element?.name === 'stream:error');
    await expect.poll(() => goodbye()?.getChild('not-well-formed', NS_STREAMS)).toBeDefined();
    expect(goneAfterMs).toBeLessThan(500);
    await expect(streamAtFeatures(server)).resolves.toBeDefined();
  });

  it('closes the stream at once with 1007 on a frame that is not UTF-8, and the next stream works', async () => {
    const { server } = await startServer();
    const { stream, peer } = await streamAtFeatures(server);
    const closedBy = once(peer, 'close') as Promise<[number]>;
    const notUtf8 = Buffer.concat([Buffer.from("<message from='bob@localhost/phone'><body>"), Buffer.of(0xc3, 0x28), Buffer.from('</body></message>')]);
    const { goneAfterMs } = await untilDisconnected(stream, async () => peer.send(notUtf8, { binary: false }));
    expect(watch.escaped).toEqual([]);
    expect(stream.refusal).toEqual(new MalformedXmlError('bytes that are not UTF-8', 'unsupported-encoding'));
    expect((await closedBy)[0]).toBe(1007);
    expect(goneAfterMs).toBeLessThan(500);
    await expect(streamAtFeatures(server)).resolves.toBeDefined();
  });

  it('fails the stream at its opening at once when the server answers with an end tag before any start tag', async () => {
    const { server, received } = await startServer();
    greeting = ['</a>', '</stream:stream></x>'];
    const startedAt = performance.now();
    const failure = await streamAtFeatures(server).catch((error: unknown) => error);
    expect(watch.escaped).toEqual([]);
    expect(failure).toEqual(new MalformedXmlError('an end tag closes no element'));
    expect(performance.now() - startedAt).toBeLessThan(500);
    await expect.poll(() => [...received.values()].flat().some((frame) => frame.startsWith('<stream:error'))).toBe(true);
    greeting = undefined;
    await expect(streamAtFeatures(server)).resolves.toBeDefined();
  });
});

describe('openWebSocket over wss', () => {
  it('sends not even its upgrade request to a server whose certificate it refuses', async () => {
    const { server: tlsServer, port, connections } = await startCountingTlsServer(selfSignedLocalhost);
    try {
      const routeSocket = net.connect(port, '127.0.0.1');
      await once(routeSocket, 'connect');
      await expect(openWebSocket(`wss://localhost:${port}/xmpp-websocket`, routeSocket, tlsTrustFor('localhost'))).rejects.toBeInstanceOf(CertificateError);
      expect(await connections[0]).toBe(0);
    } finally {
      await closeServer(tlsServer);
    }
  });
});
