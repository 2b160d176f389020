import { once } from 'node:events';
import tls from 'node:tls';

import { afterEach, describe, expect, it } from 'vitest';

import { testCertificate } from '../connection/testing/fake-xmpp-server.js';
import { MAX_STANZA_BYTES } from './stanza-limit.js';
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

/** A stream signed in over TLS to a server on loopback, and the server's side of it. */
async function signedIn(): Promise<{ stream: XmppStream; connection: ScriptedConnection }> {
  server = await startScriptedServer();
  const socket = tls.connect({ host: '127.0.0.1', port: server.port, servername: 'localhost', ca: testCertificate });
  await once(socket, 'secureConnect');
  stream = await XmppStream.open(socket, { domain: 'localhost' });
  await stream.authenticate({ username: 'alice', password: SCRIPTED_PASSWORD });
  return { stream, connection: await server.connection() };
}

const message = (body: string) => `<message from='bob@localhost/phone' to='alice@localhost' type='chat'><body>${body}</body></message>`;

describe('a server that sends more than 256 KiB in one stanza', () => {
  it('has the stream closed with policy-violation once a stanza that never ends passes the limit', async () => {
    const { stream, connection } = await signedIn();
    const { goneAfterMs, longestStallMs } = await untilDisconnected(stream, () => writeInPieces((piece) => connection.write(piece), endlessStanza()));
    expect(stream.overLimit).toMatchObject({ what: 'stanza', limitBytes: MAX_STANZA_BYTES });
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
    expect(stream.overLimit).toMatchObject({ what: 'stanza', limitBytes: MAX_STANZA_BYTES });
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
    expect(stream.overLimit).toBeNull();
  });
});
