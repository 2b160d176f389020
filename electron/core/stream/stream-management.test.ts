import { once } from 'node:events';
import tls from 'node:tls';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { testCertificate } from '../connection/testing/fake-xmpp-server.js';
import { ConnectionGoneError } from './errors.js';
import { ResumeUnansweredError } from './stream-management.js';
import type { ResumableState } from './stream-management.js';
import { startScriptedServer } from './testing/scripted-server.js';
import type { Script, ScriptedConnection, ScriptedServer } from './testing/scripted-server.js';
import { xml } from './xml.js';
import type { Element } from './xml.js';
import { XmppStream } from './xmpp-stream.js';
import type { SignInOptions } from './xmpp-stream.js';

const NS_SM = 'urn:xmpp:sm:3';
const credentials = { username: 'alice', password: 'secret' };
let server: ScriptedServer | undefined;
const streams: XmppStream[] = [];

afterEach(async () => {
  for (const stream of streams.splice(0)) stream.drop();
  await server?.close();
  server = undefined;
});

async function serve(script: Script = {}): Promise<ScriptedServer> {
  server = await startScriptedServer(script);
  return server;
}

/** A stream to the scripted server, at its features, and the server's side of it. */
async function connect(to: ScriptedServer): Promise<{ stream: XmppStream; connection: ScriptedConnection }> {
  const socket = tls.connect({ host: '127.0.0.1', port: to.port, servername: 'localhost', ca: testCertificate });
  await once(socket, 'secureConnect');
  const stream = await XmppStream.open(socket, { domain: 'localhost' });
  streams.push(stream);
  return { stream, connection: await to.connection() };
}

async function signedIn(to: ScriptedServer, options: SignInOptions = {}) {
  const { stream, connection } = await connect(to);
  const outcome = await stream.authenticate(credentials, options);
  // Once the server has answered <enable/>: whatever follows is counted and acknowledged.
  if (outcome.outcome === 'fresh') await outcome.managed;
  return { stream, connection, outcome };
}

const message = (id: string) => xml('message', { to: 'bob@localhost', id }, xml('body', {}, id));
const ids = (stanzas: Element[]) => stanzas.map((stanza) => stanza.attrs.id);

const acknowledged = (stream: XmppStream) => new Promise<void>((resolve) => stream.once('acknowledged', () => resolve()));

function acksOf(stream: XmppStream): Element[] {
  const acked: Element[] = [];
  stream.on('ack', (stanza) => acked.push(stanza));
  return acked;
}

/** A first stream that received one stanza, sent m1, m2, m3 and had only m1 acknowledged when its path went. */
async function interruptedStream(to: ScriptedServer): Promise<ResumableState> {
  const answersAckRequests = to.script.answersAckRequests;
  to.script.answersAckRequests = false;
  const { stream, connection } = await signedIn(to);
  to.script.answersAckRequests = answersAckRequests;
  for (const id of ['m1', 'm2', 'm3']) await stream.send(message(id));
  await connection.next('message', 2);
  connection.write("<message from='bob@localhost' id='in1'><body>hi</body></message>");
  connection.write(`<a xmlns='${NS_SM}' h='1'/>`);
  await acknowledged(stream);
  stream.drop();
  const state = stream.exportState();
  if (!state) throw new Error('the stream cannot be resumed');
  return state;
}

/** A second connection that asked to resume the interrupted stream, the server holding its answer. */
async function pendingResume(resumeDeadlineMs: number) {
  const to = await serve({ answersAckRequests: false });
  const state = await interruptedStream(to);
  const { stream, connection } = await connect(to);
  const signingIn = stream.authenticate(credentials, { resume: state, resumeDeadlineMs });
  await connection.next('resume');
  return { stream, connection, signingIn };
}

describe('enabling stream management', () => {
  it('binds, enables with resumption, and keeps what the server said of its stream', async () => {
    const { stream, connection, outcome } = await signedIn(
      await serve({ enable: `<enabled xmlns='${NS_SM}' id='sm-1' resume='true' max='300' location='[2001:db8::1]:5223'/>` }),
    );
    expect(outcome).toMatchObject({ mechanism: 'PLAIN', outcome: 'fresh', notDelivered: [] });
    expect(stream.online).toBe(true);
    expect(stream.managed).toBe(true);
    expect(connection.received.find((element) => element.is('enable', NS_SM))?.attrs.resume).toBe('true');
    expect(stream.exportState()).toEqual({
      id: 'sm-1',
      jid: 'alice@localhost/burrow',
      inbound: 0,
      outbound: 0,
      unacknowledged: [],
      location: '[2001:db8::1]:5223',
      max: 300,
      resumedAt: null,
    });
  });

  it('signs in without waiting for the answer to <enable/>, counting what goes out behind it as the server does', async () => {
    const { stream, connection } = await connect(await serve({ enable: 'silence', answersAckRequests: false }));
    await stream.authenticate(credentials);
    expect(stream.managed).toBe(false);
    const acked = acksOf(stream);
    await stream.send(message('m1'));
    await connection.next('message');
    connection.write(`<enabled xmlns='${NS_SM}' id='sm-1' resume='true'/>`);
    connection.write(`<a xmlns='${NS_SM}' h='1'/>`);
    await acknowledged(stream);
    expect(stream.managed).toBe(true);
    expect(ids(acked)).toEqual(['m1']);
  });

  it('counts nothing when the server refuses after stanzas went out behind <enable/>', async () => {
    const { stream, connection } = await connect(await serve({ enable: 'silence' }));
    await stream.authenticate(credentials);
    await stream.send(message('m1'));
    await connection.next('message');
    connection.write(`<failed xmlns='${NS_SM}'/>`);
    await vi.waitFor(() => expect(stream.unacknowledged()).toEqual([]));
    expect(stream.managed).toBe(false);
    expect(stream.exportState()).toBeNull();
  });

  it('goes on without it when the server refuses, and cannot be resumed then', async () => {
    const { stream } = await signedIn(await serve({ enable: `<failed xmlns='${NS_SM}'/>` }));
    expect(stream.online).toBe(true);
    expect(stream.managed).toBe(false);
    expect(stream.exportState()).toBeNull();
  });
});

describe('counting and acknowledging', () => {
  it('acknowledges each stanza the server counted, and keeps the rest as unacknowledged', async () => {
    const { stream, connection } = await signedIn(await serve({ answersAckRequests: false }));
    const acked = acksOf(stream);
    for (const id of ['m1', 'm2', 'm3']) await stream.send(message(id));
    await connection.next('message', 2);
    connection.write(`<a xmlns='${NS_SM}' h='2'/>`);
    await acknowledged(stream);
    expect(ids(acked)).toEqual(['m1', 'm2']);
    expect(ids(stream.unacknowledged())).toEqual(['m3']);
    expect(stream.exportState()).toMatchObject({ outbound: 2, unacknowledged: [message('m3').toString()] });
  });

  it('answers <r/> with the count of stanzas received', async () => {
    const { stream, connection } = await signedIn(await serve());
    const received: Element[] = [];
    stream.on('stanza', (stanza) => received.push(stanza));
    connection.write("<message from='bob@localhost' id='in1'/><presence from='bob@localhost/phone'/>");
    connection.write(`<r xmlns='${NS_SM}'/>`);
    const before = connection.received.length;
    expect((await connection.next('a', before)).attrs.h).toBe('2');
    expect(ids(received)).toEqual(['in1', undefined]);
  });

  it('asks for an ack soon after sending, and measures the round trip to its answer', async () => {
    const { stream, connection } = await signedIn(await serve());
    await stream.send(message('m1'));
    await connection.next('r');
    await acknowledged(stream);
    expect(stream.unacknowledged()).toEqual([]);
    expect(stream.roundTripMs).toBeGreaterThanOrEqual(0);
    expect(stream.lastAckAt).not.toBeNull();
    expect(stream.ackRequestedAt).toBeNull();
  });

  it('asks for an ack even while stanzas keep going out', async () => {
    const { stream, connection } = await signedIn(await serve());
    const asked = () => connection.received.some((element) => element.is('r', NS_SM));
    let sent = 0;
    // A stanza every 50 ms, faster than the ack request's delay: the flow must not keep pushing the request back.
    while (!asked() && sent < 60) {
      await stream.send(message(`m${++sent}`));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(asked()).toBe(true);
    expect(sent).toBeLessThan(60);
  });

  it('asks after every 10 stanzas of a long run, so that the server answers as it works through a backlog', async () => {
    const { stream, connection } = await signedIn(await serve({ answersAckRequests: false }));
    await Promise.all(Array.from({ length: 35 }, (_, index) => stream.send(message(`m${index + 1}`))));
    await vi.waitFor(() => expect(connection.received.filter((element) => element.is('r', NS_SM)).length).toBeGreaterThanOrEqual(3));
    const sent = connection.received.filter((element) => element.is('message') || element.is('r', NS_SM));
    const requestsAfter = sent.flatMap((element, index) => (element.is('r', NS_SM) ? [sent[index - 1]?.attrs.id] : []));
    expect(requestsAfter).toEqual(['m10', 'm20', 'm30']);
  });

  it("takes the path's round trip as the least of the recent ones: an answer held up behind a backlog does not stretch it", async () => {
    const { stream, connection } = await signedIn(await serve({ answersAckRequests: false }));
    const answerAfter = async (ms: number) => {
      stream.requestAck();
      await new Promise((resolve) => setTimeout(resolve, ms));
      connection.write(`<a xmlns='${NS_SM}' h='0'/>`);
      await acknowledged(stream);
    };
    await answerAfter(10);
    const quick = stream.roundTripMs!;
    await answerAfter(400);
    expect(stream.roundTripMs).toBe(quick);
    expect(quick).toBeLessThan(200);
  });

  it('keeps an unanswered ack request pending from when it was first made', async () => {
    const { stream, connection } = await signedIn(await serve({ answersAckRequests: false }));
    stream.requestAck();
    const firstAskedAt = stream.ackRequestedAt;
    await vi.waitFor(() => expect(connection.received.filter((element) => element.is('r', NS_SM))).toHaveLength(1));
    stream.requestAck();
    await vi.waitFor(() => expect(connection.received.filter((element) => element.is('r', NS_SM))).toHaveLength(2));
    expect(firstAskedAt).not.toBeNull();
    expect(stream.ackRequestedAt).toBe(firstAskedAt);
    expect(stream.lastAckAt).toBeNull();
  });

  it('ignores an ack for more than was ever sent', async () => {
    const { stream, connection } = await signedIn(await serve({ answersAckRequests: false }));
    const acked = acksOf(stream);
    await stream.send(message('m1'));
    connection.write(`<a xmlns='${NS_SM}' h='5'/>`);
    await acknowledged(stream);
    expect(acked).toEqual([]);
    expect(ids(stream.unacknowledged())).toEqual(['m1']);
  });

  it('refuses to send on a connection that has gone, with a cause, and counts nothing', async () => {
    const { stream } = await signedIn(await serve());
    const gone = once(stream, 'disconnect');
    stream.drop();
    await gone;
    await expect(stream.send(message('m1'))).rejects.toBeInstanceOf(ConnectionGoneError);
    expect(stream.unacknowledged()).toEqual([]);
  });
});

describe('resuming on a new connection', () => {
  it('takes the stream back: acknowledges what the server had, and sends the rest again, counted anew', async () => {
    const to = await serve({ answersAckRequests: false });
    const state = await interruptedStream(to);
    expect(state).toMatchObject({ id: 'sm-1', inbound: 1, outbound: 1 });
    expect(state.unacknowledged).toHaveLength(2);

    to.script.resume = (request) => `<resumed xmlns='${NS_SM}' previd='${request.attrs.previd}' h='2'/>`;
    const { stream, connection } = await connect(to);
    const acked = acksOf(stream);
    const outcome = await stream.authenticate(credentials, { resume: state });

    expect(outcome).toEqual({ mechanism: 'PLAIN', outcome: 'resumed' });
    expect(connection.received.find((element) => element.is('resume', NS_SM))?.attrs).toMatchObject({ previd: 'sm-1', h: '1' });
    expect(connection.received.some((element) => element.is('iq'))).toBe(false);
    expect(ids(acked)).toEqual(['m2']);
    expect((await connection.next('message')).attrs.id).toBe('m3');
    expect(ids(stream.unacknowledged())).toEqual(['m3']);
    expect(stream.jid).toBe('alice@localhost/burrow');
    expect(stream.exportState()).toMatchObject({ id: 'sm-1', inbound: 1, outbound: 2 });
    expect(stream.exportState()?.resumedAt).not.toBeNull();
  });

  it('counts as heard since the resume only new stanzas: not <r/>, and not what the server re-sends from its queue', async () => {
    const to = await serve({ answersAckRequests: false });
    const state = await interruptedStream(to);
    to.script.resume = (request) => `<resumed xmlns='${NS_SM}' previd='${request.attrs.previd}' h='2'/>`;
    const { stream, connection } = await connect(to);
    await stream.authenticate(credentials, { resume: state });
    const heard = new Promise((resolve) => stream.on('stanza', resolve));
    connection.write(`<r xmlns='${NS_SM}'/>`);
    connection.write(`<message from='bob@localhost/phone' type='chat'><body>queued</body><delay xmlns='urn:xmpp:delay' stamp='2026-12-02T08:00:00Z'/></message>`);
    await heard;
    expect(stream.heardSinceResumed).toBe(0);
    const heardNew = new Promise((resolve) => stream.on('stanza', resolve));
    connection.write(`<message from='bob@localhost/phone' type='chat'><body>new</body></message>`);
    await heardNew;
    expect(stream.heardSinceResumed).toBe(1);
  });

  it('resumes over another transport: a stream over TCP taken back over WebSocket framing', async () => {
    const to = await serve({ answersAckRequests: false });
    const state = await interruptedStream(to);
    to.script.resume = (request) => `<resumed xmlns='${NS_SM}' previd='${request.attrs.previd}' h='3'/>`;
    const { client, connection } = to.frames();
    const stream = await XmppStream.open(client, { domain: 'localhost' });
    streams.push(stream);
    const acked = acksOf(stream);

    expect((await stream.authenticate(credentials, { resume: state })).outcome).toBe('resumed');
    expect(ids(acked)).toEqual(['m2', 'm3']);
    await stream.send(message('m4'));
    expect((await connection.next('message')).attrs).toMatchObject({ id: 'm4', xmlns: 'jabber:client' });
    expect(ids(stream.unacknowledged())).toEqual(['m4']);
  });

  it('after <failed h/>, takes what the server acknowledged and hands back the rest as not delivered', async () => {
    const to = await serve({ answersAckRequests: false });
    const state = await interruptedStream(to);
    to.script.resume = () => `<failed xmlns='${NS_SM}' h='2'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>`;
    const { stream, connection } = await connect(to);
    const acked = acksOf(stream);
    const outcome = await stream.authenticate(credentials, { resume: state });

    expect(ids(acked)).toEqual(['m2']);
    expect(outcome.outcome).toBe('fresh');
    expect(outcome.outcome === 'fresh' && ids(outcome.notDelivered)).toEqual(['m3']);
    expect(connection.received.some((element) => element.is('iq') && element.getChild('bind'))).toBe(true);
    expect(outcome.outcome === 'fresh' && (await outcome.managed)).toBe(true);
    expect(stream.exportState()).toMatchObject({ id: 'sm-1', inbound: 0, outbound: 0, unacknowledged: [] });
  });

  it('after <failed/> without a count, hands back everything unacknowledged', async () => {
    const to = await serve({ answersAckRequests: false });
    const state = await interruptedStream(to);
    to.script.resume = () => `<failed xmlns='${NS_SM}'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></failed>`;
    const { stream } = await connect(to);
    const acked = acksOf(stream);
    const outcome = await stream.authenticate(credentials, { resume: state });

    expect(acked).toEqual([]);
    expect(outcome.outcome === 'fresh' && ids(outcome.notDelivered)).toEqual(['m2', 'm3']);
    expect(outcome.outcome === 'fresh' && (await outcome.managed)).toBe(true);
    expect(stream.managed).toBe(true);
  });

  it('waits for the answer as long as the deadline allows', async () => {
    const { connection, signingIn: pending } = await pendingResume(10_000);
    let answered = false;
    const signingIn = pending.then((outcome) => ((answered = true), outcome));
    // Like ejabberd taking the old stream over: the answer comes after a while.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(answered).toBe(false);
    connection.write(`<resumed xmlns='${NS_SM}' previd='sm-1' h='1'/>`);
    expect((await signingIn).outcome).toBe('resumed');
  });

  it('fails at once, not at the deadline, when the connection goes while the resume is pending: a resume left unanswered too', async () => {
    const { connection, signingIn } = await pendingResume(60_000);
    connection.destroy();
    await expect(signingIn).rejects.toThrow(new ResumeUnansweredError(null));
  });

  it('does not take a connection Burrow closed itself during the resume for one the server closed', async () => {
    const { stream, signingIn } = await pendingResume(60_000);
    stream.drop();
    await expect(signingIn).rejects.not.toThrow(ResumeUnansweredError);
  });

  it('gives up when the server does not answer within the deadline', async () => {
    const { stream, connection, signingIn } = await pendingResume(150);
    await expect(signingIn).rejects.toThrow(ResumeUnansweredError);
    expect(stream.online).toBe(false);
    // Dropped, not closed: a goodbye would end the stream the server may still be taking over.
    await new Promise<void>((resolve) => stream.once('disconnect', () => resolve()));
    await stream.stop();
    expect(connection.streamClosed).toBe(false);
  });

  it('counts across the 2^32 wrap on both sides', async () => {
    const to = await serve({ answersAckRequests: true });
    const state = await interruptedStream(to);
    const wrapped: ResumableState = { ...state, inbound: 2 ** 32 - 1, outbound: 2 ** 32 - 1 };
    to.script.resume = () => `<resumed xmlns='${NS_SM}' previd='sm-1' h='1'/>`;
    const { stream, connection } = await connect(to);
    const acked = acksOf(stream);
    await stream.authenticate(credentials, { resume: wrapped });

    expect(ids(acked)).toEqual(['m2', 'm3']);
    expect(connection.received.find((element) => element.is('resume', NS_SM))?.attrs.h).toBe(String(2 ** 32 - 1));
    connection.write("<message from='bob@localhost' id='in2'/>");
    connection.write(`<r xmlns='${NS_SM}'/>`);
    expect((await connection.next('a')).attrs.h).toBe('0');
  });
});
