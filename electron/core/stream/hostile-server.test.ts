import { once } from 'node:events';
import tls from 'node:tls';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { testCertificate } from '../connection/testing/fake-xmpp-server.js';
import { MalformedXmlError } from './errors.js';
import { MAX_STANZA_BYTES } from './stanza-limit.js';
import { watchEscapes } from './testing/escapes.js';
import { untilDisconnected } from './testing/event-loop.js';
import { endlessStanza, largeStanza, writeInPieces } from './testing/flood.js';
import { SCRIPTED_PASSWORD, startScriptedServer } from './testing/scripted-server.js';
import type { ScriptedConnection, ScriptedServer } from './testing/scripted-server.js';
import type { Element } from './xml.js';
import { XmppStream } from './xmpp-stream.js';

const NS_STREAMS = 'urn:ietf:params:xml:ns:xmpp-streams';
let server: ScriptedServer | undefined;
let stream: XmppStream | undefined;

afterEach(async () => {
  stream?.drop();
  await server?.close();
});

/** A stream opened over TLS to the server on loopback, at its features. */
async function opened(on: ScriptedServer): Promise<XmppStream> {
  const socket = tls.connect({ host: '127.0.0.1', port: on.port, servername: 'localhost', ca: testCertificate });
  await once(socket, 'secureConnect');
  stream = await XmppStream.open(socket, { domain: 'localhost' });
  return stream;
}

/** A stream signed in over TLS to a server on loopback (a new one unless given), and the server's side of it. */
async function signedIn(on?: ScriptedServer): Promise<{ stream: XmppStream; connection: ScriptedConnection }> {
  server = on ?? (await startScriptedServer());
  const stream = await opened(server);
  await stream.authenticate({ username: 'alice', password: SCRIPTED_PASSWORD });
  return { stream, connection: await server.connection() };
}

const message = (body: string) => `<message from='bob@localhost/phone' to='alice@localhost' type='chat'><body>${body}</body></message>`;

describe('a server that sends more than 256 KiB in one stanza', () => {
  it('has the stream closed with policy-violation once a stanza that never ends passes the limit', async () => {
    const { stream, connection } = await signedIn();
    const { goneAfterMs, longestStallMs } = await untilDisconnected(stream, () => writeInPieces((piece) => connection.write(piece), endlessStanza()));
    expect(stream.refusal).toMatchObject({ what: 'stanza', limitBytes: MAX_STANZA_BYTES });
    const goodbye = await connection.next('stream:error');
    expect(goodbye.getChild('policy-violation', NS_STREAMS)).toBeDefined();
    expect(connection.streamClosed).toBe(true);
    expect(goneAfterMs).toBeLessThan(2_000);
    expect(longestStallMs).toBeLessThan(100);
  });

  it('has the stream closed as soon as a complete 20 MB stanza passes the limit, without reading it whole', async () => {
    const { stream, connection } = await signedIn();
    // Made beforehand: the test's own work would stall the event loop too.
    const stanza = largeStanza(20 * 1024 * 1024);
    const { goneAfterMs, longestStallMs } = await untilDisconnected(stream, () => writeInPieces((piece) => connection.write(piece), stanza));
    expect(stream.refusal).toMatchObject({ what: 'stanza', limitBytes: MAX_STANZA_BYTES });
    expect((await connection.next('stream:error')).getChild('policy-violation', NS_STREAMS)).toBeDefined();
    expect(goneAfterMs).toBeLessThan(2_000);
    expect(longestStallMs).toBeLessThan(100);
  });

  it('still takes stanzas up to the limit, each whole, among the small ones', async () => {
    const { stream, connection } = await signedIn();
    const received: Element[] = [];
    stream.on('stanza', (stanza) => received.push(stanza));
    const large = message('y'.repeat(MAX_STANZA_BYTES - message('').length));
    await connection.write(`${message('before')}${large}${message('after')}`);
    await expect.poll(() => received.length).toBe(3);
    expect(received.map((stanza) => stanza.getChildText('body')?.length)).toEqual([6, MAX_STANZA_BYTES - message('').length, 5]);
    expect(stream.online).toBe(true);
    expect(stream.refusal).toBeNull();
  });
});

describe('a server that sends XML that is not well-formed', () => {
  let watch: ReturnType<typeof watchEscapes>;
  beforeEach(() => {
    watch = watchEscapes();
  });
  afterEach(() => watch.stop());

  const header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='again' from='localhost' version='1.0'>";
  const notUtf8 = Buffer.concat([Buffer.from("<message from='bob@localhost/phone' type='chat'><body>"), Buffer.of(0xc3, 0x28), Buffer.from('</body></message>')]);
  /** What the server writes after sign-in, piece by piece; the detail and the stream error Burrow closes the stream with. */
  const afterSignIn: [string, (string | Uint8Array)[], string, string][] = [
    ['an end tag that closes no element it opened', ['</a>'], '</a> closes <stream:stream>', 'not-well-formed'],
    ['the end of its stream and an end tag after it', ['</stream:stream></x>'], 'an end tag closes no element', 'not-well-formed'],
    ['a second root after the end of its stream', ['</stream:stream>', header], 'a second root element', 'not-well-formed'],
    ['more after the end of its stream', ['</stream:stream>', '<!-- more -->'], 'more after the end of its stream', 'not-well-formed'],
    ['an attribute whose quote is left open', [`<message from='bob@localhost/phone type='chat'><body>hi</body></message>`], "an unexpected ' in a tag", 'not-well-formed'],
    ['an attribute whose quote is left open before the next tag', [`<message from='bob@localhost/phone><body>hi</body></message>`], "a '<' in an attribute value (a quote left open?)", 'not-well-formed'],
    ['an end tag that closes another element', ['<message><body>hi</body></presence>'], '</presence> closes <message>', 'not-well-formed'],
    ['an entity XML does not define', [message('caf&eacute;')], 'Illegal XML entity &eacute;', 'not-well-formed'],
    ['bytes that are not UTF-8', [notUtf8], 'bytes that are not UTF-8', 'unsupported-encoding'],
  ];

  it.each(afterSignIn)('closes the stream at once on %s, saying why, and the next stream works', async (_, pieces, detail, condition) => {
    const { stream, connection } = await signedIn();
    const { goneAfterMs } = await untilDisconnected(stream, () => writeInPieces((piece) => connection.write(piece), pieces));
    expect(watch.escaped).toEqual([]);
    expect(stream.refusal).toEqual(new MalformedXmlError(detail, condition as MalformedXmlError['condition']));
    expect((await connection.next('stream:error')).getChild(condition, NS_STREAMS)).toBeDefined();
    expect(goneAfterMs).toBeLessThan(500);
    const next = await signedIn(server);
    expect(next.stream.online).toBe(true);
  });

  it.each([
    ['an end tag before any start tag', '</a>'],
    ['the end of a stream that never started, and an end tag', '</stream:stream></x>'],
  ])('fails the stream at its opening at once when the server answers with %s, and the next stream works', async (_, greeting) => {
    server = await startScriptedServer({ greeting });
    const startedAt = performance.now();
    const failure = await opened(server).catch((error: unknown) => error);
    expect(watch.escaped).toEqual([]);
    expect(failure).toEqual(new MalformedXmlError('an end tag closes no element'));
    expect(performance.now() - startedAt).toBeLessThan(500);
    expect((await (await server.connection()).next('stream:error')).getChild('not-well-formed', NS_STREAMS)).toBeDefined();
    delete server.script.greeting;
    const next = await signedIn(server);
    expect(next.stream.online).toBe(true);
  });
});
