import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { MalformedXmlError } from '../stream/errors.js';
import { watchEscapes } from '../stream/testing/escapes.js';
import { untilDisconnected } from '../stream/testing/event-loop.js';
import { endlessStanza, largeStanza, writeInPieces } from '../stream/testing/flood.js';
import { MAX_STANZA_BYTES } from '../stream/stanza-limit.js';
import { XmppStream } from '../stream/xmpp-stream.js';
import { parseXml as parse } from '../stream/xml.js';
import type { Element } from '../stream/xml.js';
import { BoshSocket, MAX_ANSWER_BYTES } from './bosh.js';
import { BoshProtocolError, BoshTerminatedError, HttpStatusError } from './errors.js';
import type { HttpReply, HttpStack, XmlPost } from './http-stack.js';
import { ProxyLogins } from './routes/proxy-logins.js';

const FEATURES =
  "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>";
const OPEN_FRAME = "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' to='lab.test' version='1.0' xml:lang='en'/>";
const CLOSE_FRAME = "<close xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>";

interface ReceivedRequest {
  body: Element;
  rid: number;
  payloads: string[];
  response: http.ServerResponse;
  respond(status: number, text: string): void;
  answer(payloads?: string[], attrs?: string): void;
  drop(): void;
}

type Interceptor = (request: ReceivedRequest) => boolean;

/**
 * A tiny BOSH connection manager: answers session creation and restarts with stream features,
 * holds one request for pushes (hold=1) and releases it when the next one arrives.
 */
class FakeConnectionManager {
  readonly requests: ReceivedRequest[] = [];
  readonly sid = 'fake-sid';
  held: ReceivedRequest | undefined;
  pushes: string[] = [];
  /** Return true to take over a request instead of the default behaviour. */
  intercept: Interceptor = () => false;
  readonly #server = http.createServer((req, res) => this.#onRequest(req, res));

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/http-bind`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  push(stanza: string): void {
    this.pushes.push(stanza);
    if (this.held) this.#release();
  }

  #onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = parse(Buffer.concat(chunks).toString('utf8'));
      if (!body) throw new Error('empty request');
      const request: ReceivedRequest = {
        body,
        rid: Number(body.attrs.rid),
        payloads: body.getChildElements().map((child) => child.toString()),
        response: res,
        respond: (status, text) => res.writeHead(status, { 'Content-Type': 'text/xml' }).end(text),
        answer: (payloads = [], attrs = '') =>
          request.respond(200, `<body xmlns='http://jabber.org/protocol/httpbind' ${attrs}>${payloads.join('')}</body>`),
        drop: () => req.socket.destroy(),
      };
      this.requests.push(request);
      if (!this.intercept(request)) this.#handle(request);
    });
  }

  #handle(request: ReceivedRequest): void {
    const { attrs } = request.body;
    if (attrs.sid === undefined) {
      request.answer(
        [FEATURES],
        `sid='${this.sid}' wait='${attrs.wait}' requests='2' hold='1' from='lab.test' xmlns:xmpp='urn:xmpp:xbosh' xmpp:version='1.0'`,
      );
      return;
    }
    if (this.held) this.#release();
    if (attrs['xmpp:restart'] === 'true') {
      request.answer([FEATURES]);
    } else if (attrs.type === 'terminate') {
      request.answer([], "type='terminate'");
    } else {
      this.held = request;
      if (this.pushes.length > 0) this.#release();
    }
  }

  #release(): void {
    this.held?.answer(this.pushes.splice(0));
    this.held = undefined;
  }
}

/** An XMPP stream over BOSH at the features of `server`, listening at `url`, with a request held by the server for what it pushes. */
async function streamAtFeaturesOf(server: FakeConnectionManager, url: string, socket = new BoshSocket()): Promise<XmppStream> {
  socket.connect(url);
  const stream = await XmppStream.open(socket, { domain: 'lab.test' });
  await waitFor(() => server.held !== undefined, 'the held request');
  return stream;
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('BoshSocket against a fake connection manager', () => {
  let server: FakeConnectionManager;
  let url: string;
  let socket: BoshSocket;
  let received: string[];
  let errors: Error[];
  let closes: { dirty: boolean }[];

  beforeEach(async () => {
    server = new FakeConnectionManager();
    url = await server.listen();
    socket = new BoshSocket({ waitSeconds: 5, graceMs: 500, maxRetries: 2 });
    received = [];
    errors = [];
    closes = [];
    socket.on('data', (data: string) => received.push(data));
    socket.on('error', (error: Error) => errors.push(error));
    socket.on('close', (dirty: boolean) => closes.push({ dirty }));
  });

  afterEach(async () => {
    socket.end();
    await server.close();
  });

  async function openSession(): Promise<void> {
    socket.connect(url);
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(OPEN_FRAME);
    await waitFor(() => server.held !== undefined, 'the first held request');
  }

  it('creates the session with rid, hold=1, wait, ver, xmpp:version, to and xml:lang', async () => {
    await openSession();
    const creation = server.requests[0]?.body.attrs;
    expect(creation).toMatchObject({
      xmlns: 'http://jabber.org/protocol/httpbind',
      hold: '1',
      wait: '5',
      to: 'lab.test',
      'xml:lang': 'en',
      'xmpp:version': '1.0',
      'xmlns:xmpp': 'urn:xmpp:xbosh',
      content: 'text/xml; charset=utf-8',
    });
    expect(creation?.ver).toMatch(/^1\.\d+$/);
    expect(Number(creation?.rid)).toBeGreaterThan(0);
    expect(creation?.sid).toBeUndefined();
  });

  it('presents the session to the XMPP layer as a stream header followed by the features', async () => {
    await openSession();
    expect(received[0]).toBe(
      "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' from='lab.test' id='fake-sid' version='1.0' xml:lang='en'/>",
    );
    const features = parse(received[1] ?? '');
    expect(features?.is('features', 'http://etherx.jabber.org/streams')).toBe(true);
  });

  it('numbers requests with consecutive rids and carries the sid after creation', async () => {
    await openSession();
    socket.write("<message xmlns='jabber:client' to='bob@lab.test'><body>1</body></message>");
    await waitFor(() => server.requests.length >= 3, 'the stanza request');
    const rids = server.requests.map((request) => request.rid);
    expect(rids).toEqual(rids.map((_, index) => (rids[0] ?? 0) + index));
    expect(server.requests.slice(1).every((request) => request.body.attrs.sid === 'fake-sid')).toBe(true);
  });

  it('keeps a request held by the server and sends a stanza at once on the second connection', async () => {
    await openSession();
    const held = server.held;
    const sentAt = Date.now();
    socket.write("<message xmlns='jabber:client' to='bob@lab.test'><body>hi</body></message>");
    await waitFor(() => server.requests.some((request) => request.payloads.length > 0), 'the stanza');
    expect(Date.now() - sentAt).toBeLessThan(500); // far below wait=5 s: not queued behind the held request
    const carrier = server.requests.find((request) => request.payloads.length > 0);
    expect(carrier?.payloads[0]).toContain('<body>hi</body>');
    expect(carrier?.rid).toBe((held?.rid ?? 0) + 1);
    await waitFor(() => server.held === carrier, 'the stanza request to become the held one');
  });

  it('batches stanzas written together into one request', async () => {
    await openSession();
    socket.write("<presence xmlns='jabber:client'/>");
    socket.write("<message xmlns='jabber:client' to='bob@lab.test'><body>a</body></message>");
    await waitFor(() => server.requests.some((request) => request.payloads.length > 0), 'the stanzas');
    expect(server.requests.find((request) => request.payloads.length > 0)?.payloads).toHaveLength(2);
  });

  it('delivers a server push through the held request', async () => {
    await openSession();
    server.push("<message xmlns='jabber:client' from='bob@lab.test'><body>pushed</body></message>");
    await waitFor(() => received.some((data) => data.includes('pushed')), 'the pushed message');
    await waitFor(() => server.held !== undefined, 'a new held request');
  });

  it('delivers answers in rid order when a later answer overtakes an earlier one', async () => {
    await openSession();
    const earlier = server.held;
    server.held = undefined;
    server.intercept = (request) => {
      request.answer(["<message xmlns='jabber:client'><body>second</body></message>"]);
      setTimeout(() => earlier?.answer(["<message xmlns='jabber:client'><body>first</body></message>"]), 50);
      server.intercept = () => false;
      return true;
    };
    socket.write("<presence xmlns='jabber:client'/>");
    await waitFor(() => received.some((data) => data.includes('second')), 'both answers');
    const bodies = received.filter((data) => data.startsWith('<message'));
    expect(bodies[0]).toContain('first');
    expect(bodies[1]).toContain('second');
  });

  it('resends a lost request with the same rid and payload, and the stanza arrives once', async () => {
    await openSession();
    let dropped = false;
    server.intercept = (request) => {
      if (dropped || request.payloads.length === 0) return false;
      dropped = true;
      request.drop();
      return true;
    };
    socket.write("<message xmlns='jabber:client' to='bob@lab.test'><body>again</body></message>");
    await waitFor(() => server.requests.filter((request) => request.payloads.length > 0).length === 2, 'the resend');
    const [lost, resent] = server.requests.filter((request) => request.payloads.length > 0);
    expect(resent?.rid).toBe(lost?.rid);
    expect(resent?.payloads).toEqual(lost?.payloads);
    expect(errors).toEqual([]);
    expect(closes).toEqual([]);
  });

  it('gives up after the bounded number of resends', async () => {
    await openSession();
    server.intercept = (request) => {
      if (request.payloads.length === 0) return false;
      request.drop();
      return true;
    };
    socket.write("<presence xmlns='jabber:client'/>");
    await waitFor(() => closes.length > 0, 'the socket to close');
    expect(server.requests.filter((request) => request.payloads.length > 0)).toHaveLength(3); // first try + 2 resends
    expect(errors[0]).toMatchObject({ code: 'ECONNRESET' });
    expect(closes).toEqual([{ dirty: true }]);
  });

  it('restarts the stream with xmpp:restart and an empty body, and opens a new stream header', async () => {
    await openSession();
    received.length = 0;
    socket.write(OPEN_FRAME);
    await waitFor(() => received.length >= 2, 'the restarted stream');
    const restart = server.requests.find((request) => request.body.attrs['xmpp:restart'] === 'true');
    expect(restart?.body.attrs).toMatchObject({ sid: 'fake-sid', to: 'lab.test', 'xml:lang': 'en', 'xmlns:xmpp': 'urn:xmpp:xbosh' });
    expect(restart?.payloads).toEqual([]);
    expect(received[0]).toMatch(/^<open xmlns='urn:ietf:params:xml:ns:xmpp-framing'/);
    expect(received[1]).toContain('stream:features');
  });

  it('terminates the session on <close/>, reports the stream closed, and closes cleanly on end()', async () => {
    await openSession();
    socket.write(CLOSE_FRAME);
    await waitFor(() => received.includes(CLOSE_FRAME), 'the closed stream');
    expect(server.requests.find((request) => request.body.attrs.type === 'terminate')?.body.attrs.sid).toBe('fake-sid');
    const requestsBeforeEnd = server.requests.length;
    socket.end();
    await waitFor(() => closes.length > 0, 'the close event');
    expect(closes).toEqual([{ dirty: false }]);
    expect(server.requests).toHaveLength(requestsBeforeEnd);
    expect(errors).toEqual([]);
  });

  it('tells the server to terminate when ended without closing the stream', async () => {
    await openSession();
    socket.end();
    await waitFor(() => server.requests.some((request) => request.body.attrs.type === 'terminate'), 'the terminate notice');
    await waitFor(() => closes.length > 0, 'the close event');
    expect(closes).toEqual([{ dirty: false }]);
  });

  it('reports a terminate with a condition from the server as an error with that condition', async () => {
    await openSession();
    server.held?.answer([], "type='terminate' condition='remote-connection-failed'");
    server.held = undefined;
    await waitFor(() => closes.length > 0, 'the close event');
    expect(errors[0]).toBeInstanceOf(BoshTerminatedError);
    expect(errors[0]).toMatchObject({ condition: 'remote-connection-failed' });
    expect(received.at(-1)).toBe(CLOSE_FRAME);
    expect(closes).toEqual([{ dirty: true }]);
  });

  it('fails with the HTTP status when the endpoint answers with an error', async () => {
    server.intercept = (request) => {
      request.respond(404, 'not here');
      return true;
    };
    socket.connect(url);
    socket.write(OPEN_FRAME);
    await waitFor(() => closes.length > 0, 'the close event');
    expect(errors[0]).toBeInstanceOf(HttpStatusError);
    expect(errors[0]).toMatchObject({ status: 404 });
  });

  it('fails when the answer is not a BOSH body, such as a captive portal page', async () => {
    server.intercept = (request) => {
      request.respond(200, '<html><body>Please log in</body></html>');
      return true;
    };
    socket.connect(url);
    socket.write(OPEN_FRAME);
    await waitFor(() => closes.length > 0, 'the close event');
    expect(errors[0]).toBeInstanceOf(BoshProtocolError);
  });

  it('fails at once when the session cannot be created, without resending', async () => {
    server.intercept = (request) => {
      request.drop();
      return true;
    };
    socket.connect(url);
    socket.write(OPEN_FRAME);
    await waitFor(() => closes.length > 0, 'the close event');
    expect(server.requests).toHaveLength(1);
  });
});

describe('BoshSocket through a proxy that forwards plain HTTP', () => {
  /** A forward proxy: absolute-URI requests only, Basic credentials required. */
  async function startForwardProxy() {
    const seen: { url: string; authorization: string | undefined }[] = [];
    const proxy = http.createServer((request, response) => {
      seen.push({ url: request.url ?? '', authorization: request.headers['proxy-authorization'] });
      if (request.headers['proxy-authorization'] !== `Basic ${Buffer.from('alice:s3cret').toString('base64')}`) {
        response.writeHead(407, 'Proxy Authentication Required', { 'Proxy-Authenticate': 'Basic realm="lab"' }).end();
        return;
      }
      const upstream = http.request(request.url ?? '', { method: request.method, headers: request.headers }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      });
      upstream.on('error', () => response.destroy());
      request.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    return { proxy, port: (proxy.address() as AddressInfo).port, seen };
  }

  it('sends every request with its absolute URI, and the proxy credentials once the proxy has asked for them', async () => {
    const server = new FakeConnectionManager();
    const url = await server.listen();
    const { proxy, port, seen } = await startForwardProxy();
    const logins = new ProxyLogins();
    const socket = new BoshSocket({ forwardProxy: { host: '127.0.0.1', port, username: 'alice', password: 's3cret', logins } });
    const received: string[] = [];
    socket.on('data', (data: string) => received.push(data));
    try {
      socket.connect(url);
      socket.write(OPEN_FRAME);
      await waitFor(() => received.length >= 2, 'the stream features through the proxy');
      const credentials = `Basic ${Buffer.from('alice:s3cret').toString('base64')}`;
      const [first, ...answered] = seen;
      expect(first).toEqual({ url, authorization: undefined });
      expect(answered.length).toBeGreaterThan(0);
      expect(answered.every((request) => request.url === url && request.authorization === credentials)).toBe(true);
    } finally {
      socket.end();
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
      await server.close();
    }
  });

  it('fails with a proxy login refusal when the proxy wants other credentials', async () => {
    const { proxy, port } = await startForwardProxy();
    const socket = new BoshSocket({ forwardProxy: { host: '127.0.0.1', port, username: 'alice', password: 'wrong' } });
    const errors: Error[] = [];
    socket.on('error', (error: Error) => errors.push(error));
    try {
      socket.connect('http://chat.lab.test/http-bind');
      socket.write(OPEN_FRAME);
      await waitFor(() => errors.length > 0, 'the proxy refusal');
      expect(errors[0]).toMatchObject({ kind: 'authentication', status: 407, login: { offered: ['basic'], tried: 'basic' } });
    } finally {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});

describe('BOSH under the stream layer', () => {
  it('carries an XMPP stream up to its features, and terminates the session when the stream ends', async () => {
    const server = new FakeConnectionManager();
    const url = await server.listen();
    const socket = new BoshSocket();
    socket.connect(url);
    try {
      const stream = await XmppStream.open(socket, { domain: 'lab.test' });
      expect(stream.features.is('features', 'http://etherx.jabber.org/streams')).toBe(true);
      expect(stream.secure).toBe(false);
      await stream.stop();
      expect(server.requests.some((request) => request.body.attrs.type === 'terminate')).toBe(true);
    } finally {
      await server.close();
    }
  });
});

/**
 * A connection manager in memory that keeps its promise of `wait` (hold=1): it answers the request
 * it holds as soon as the next one comes, and otherwise empty once `wait` has passed — unless it
 * has gone silent, as a black-holed path is.
 */
class WaitingConnectionManager implements HttpStack {
  readonly posts: Element[] = [];
  /** When each request came (ms since the epoch). */
  readonly postedAt: number[] = [];
  /** Answers nothing more (a path black-holed). */
  silent = false;
  #held: { answer: () => void; timer: NodeJS.Timeout } | undefined;
  #wait = 0;

  post(request: XmlPost): Promise<HttpReply> {
    const body = parse(request.body);
    if (!body) throw new Error('empty request');
    this.posts.push(body);
    this.postedAt.push(Date.now());
    if (this.silent) return new Promise((_resolve, reject) => request.signal.addEventListener('abort', () => reject(request.signal.reason as Error)));
    if (body.attrs.sid === undefined) {
      this.#wait = Number(body.attrs.wait);
      return reply(`sid='fake-sid' wait='${this.#wait}' requests='2' hold='1' from='lab.test' xmlns:xmpp='urn:xmpp:xbosh' xmpp:version='1.0'`, FEATURES);
    }
    this.#releaseHeld();
    if (body.attrs['xmpp:restart'] === 'true') return reply('', FEATURES);
    if (body.attrs.type === 'terminate') return reply("type='terminate'", '');
    return new Promise((resolve, reject) => {
      const answer = () => {
        clearTimeout(held.timer);
        if (this.#held === held) this.#held = undefined;
        void reply('', '').then(resolve);
      };
      const held = { answer, timer: setTimeout(() => !this.silent && answer(), this.#wait * 1000) };
      this.#held = held;
      request.signal.addEventListener('abort', () => reject(request.signal.reason as Error), { once: true });
    });
  }

  close(): void {}

  #releaseHeld(): void {
    this.#held?.answer();
  }
}

function reply(attrs: string, payload: string): Promise<HttpReply> {
  const text = `<body xmlns='http://jabber.org/protocol/httpbind' ${attrs}>${payload}</body>`;
  return new Promise((resolve) => setImmediate(() => resolve({ status: 200, statusText: 'OK', text, utf8: true })));
}

describe('an idle BOSH session, its server keeping its promise of wait', () => {
  let server: WaitingConnectionManager;
  let socket: BoshSocket;
  let stream: XmppStream;

  beforeEach(async () => {
    vi.useFakeTimers();
    server = new WaitingConnectionManager();
    socket = new BoshSocket({ http: server });
    socket.connect('https://chat.lab.test/http-bind');
    const opening = XmppStream.open(socket, { domain: 'lab.test' });
    await vi.advanceTimersByTimeAsync(10);
    stream = await opening;
  });

  afterEach(() => {
    socket.destroy();
    vi.useRealTimers();
  });

  it('asks for wait=10 s and costs one request per wait: six a minute', async () => {
    expect(server.posts[0]?.attrs.wait).toBe('10');
    const before = server.posts.length;
    // Each turn takes the wait and the answer's way back: a few ms over 10 s.
    await vi.advanceTimersByTimeAsync(60_100);
    expect(server.posts.length - before).toBe(6);
  });

  it('counts every answer, empty ones too, as news from the server, and says by when the held request is due', async () => {
    const heardBefore = stream.lastHeardAt;
    await vi.advanceTimersByTimeAsync(10_100);
    const nextSentAt = server.postedAt.at(-1) ?? 0;
    expect(server.posts.at(-1)?.getChildElements()).toEqual([]);
    expect(stream.lastHeardAt).toBeGreaterThan(heardBefore);
    // The empty answer came, and the next request to hold went out right behind it.
    expect(stream.lastHeardAt).toBeGreaterThanOrEqual(nextSentAt - 5);
    expect(stream.lastHeardAt).toBeLessThanOrEqual(nextSentAt);
    expect(stream.answerDueAt).toBe(nextSentAt + 10_000);
  });

  it('leaves the last answer where it was, and the due time behind, once the server goes silent', async () => {
    await vi.advanceTimersByTimeAsync(10_005);
    server.silent = true;
    const heardAt = stream.lastHeardAt;
    const dueAt = stream.answerDueAt;
    expect(dueAt).not.toBeNull();
    await vi.advanceTimersByTimeAsync(15_000);
    expect(stream.lastHeardAt).toBe(heardAt);
    expect(stream.answerDueAt).toBe(dueAt);
    expect(Date.now() - (dueAt ?? Infinity)).toBeGreaterThan(4_000);
  });

  it('dates the due time from the oldest request out: a stanza sent on the second one moves it only once the held one is answered', async () => {
    await vi.advanceTimersByTimeAsync(3_000);
    const dueAt = stream.answerDueAt;
    expect(dueAt).not.toBeNull();
    socket.write("<message xmlns='jabber:client' to='bob@lab.test'><body>hi</body></message>");
    await vi.advanceTimersByTimeAsync(5);
    // The server answered the request it held as the stanza came, and holds the stanza's.
    expect(stream.answerDueAt).toBeGreaterThan(dueAt ?? Infinity);
    expect(stream.lastHeardAt).toBeGreaterThanOrEqual(Date.now() - 5);
  });
});

describe('BoshSocket without a server that answers', () => {
  it('promises no answer before the session exists, nor once it is closed', () => {
    const socket = new BoshSocket({ http: new WaitingConnectionManager() });
    expect(socket.heldRequest.answerDueAt).toBeNull();
    expect(socket.heldRequest.lastAnsweredAt).toBeNull();
    socket.destroy();
    expect(socket.heldRequest.answerDueAt).toBeNull();
  });
});

describe('BOSH from a connection manager that sends more than Burrow accepts', () => {
  let server: FakeConnectionManager;
  let stream: XmppStream | undefined;

  afterEach(async () => {
    stream?.drop();
    await server.close();
  });

  async function streamAtFeatures(): Promise<XmppStream> {
    server = new FakeConnectionManager();
    stream = await streamAtFeaturesOf(server, await server.listen());
    return stream;
  }

  /** Answers the held request with a BOSH body around `pieces`, written one by one as the client takes them. */
  async function answerHeldWith(pieces: Iterable<string>): Promise<void> {
    const { response } = server.held ?? {};
    server.held = undefined;
    if (!response) throw new Error('no request is held');
    response.writeHead(200, { 'Content-Type': 'text/xml' });
    const write = (piece: string) => new Promise<boolean>((resolve) => response.write(piece, (error) => resolve(!error && !response.destroyed)));
    await writeInPieces(write, body(pieces));
    response.end();
  }

  function* body(pieces: Iterable<string>): Generator<string> {
    yield "<body xmlns='http://jabber.org/protocol/httpbind'>";
    yield* pieces;
    yield '</body>';
  }

  const terminated = () => server.requests.some((request) => request.body.attrs.type === 'terminate');

  it('ends the session, and tells the server, once a stanza in an answer that never ends passes 256 KiB', async () => {
    const stream = await streamAtFeatures();
    const { goneAfterMs, longestStallMs } = await untilDisconnected(stream, () => answerHeldWith(endlessStanza()));
    expect(stream.refusal).toMatchObject({ what: 'stanza', limitBytes: MAX_STANZA_BYTES });
    await waitFor(terminated, 'the terminate notice');
    expect(goneAfterMs).toBeLessThan(2_000);
    expect(longestStallMs).toBeLessThan(100);
  });

  it('ends the session as soon as a complete 20 MB stanza in an answer passes 256 KiB', async () => {
    const stream = await streamAtFeatures();
    // Made beforehand: the test's own work would stall the event loop too.
    const stanza = largeStanza(20 * 1024 * 1024);
    const { goneAfterMs, longestStallMs } = await untilDisconnected(stream, () => answerHeldWith(stanza));
    expect(stream.refusal).toMatchObject({ what: 'stanza', limitBytes: MAX_STANZA_BYTES });
    expect(goneAfterMs).toBeLessThan(2_000);
    expect(longestStallMs).toBeLessThan(100);
  });

  it('takes an answer of 3 MiB in small stanzas, and ends the session on one over 4 MiB', async () => {
    const stream = await streamAtFeatures();
    const received: Element[] = [];
    stream.on('stanza', (stanza) => received.push(stanza));
    const small = "<message from='bob@lab.test/phone' type='chat'><body>" + 'x'.repeat(1000) + '</body></message>';
    const stanzas = (bytes: number) => Array.from({ length: Math.ceil(bytes / small.length) }, () => small);
    await answerHeldWith(stanzas(3 * 1024 * 1024));
    await waitFor(() => received.length === stanzas(3 * 1024 * 1024).length, 'the 3 MiB of stanzas');
    await waitFor(() => server.held !== undefined, 'the next held request');
    await untilDisconnected(stream, () => answerHeldWith(stanzas(MAX_ANSWER_BYTES + 1)));
    expect(stream.refusal).toMatchObject({ what: 'bosh-answer', limitBytes: MAX_ANSWER_BYTES });
  });
});

describe('BOSH from a connection manager that sends XML that is not well-formed', () => {
  const BODY = "<body xmlns='http://jabber.org/protocol/httpbind'";
  let server: FakeConnectionManager;
  let url: string;
  let stream: XmppStream | undefined;
  let watch: ReturnType<typeof watchEscapes>;

  beforeEach(async () => {
    server = new FakeConnectionManager();
    url = await server.listen();
    watch = watchEscapes();
  });

  afterEach(async () => {
    watch.stop();
    stream?.drop();
    await server.close();
  });

  /** Answers the held request with `answer`, as is. */
  function answerHeld(answer: string | Buffer): void {
    const { response } = server.held ?? {};
    server.held = undefined;
    if (!response) throw new Error('no request is held');
    response.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' }).end(answer);
  }

  const terminated = () => server.requests.some((request) => request.body.attrs.type === 'terminate');
  const notUtf8 = Buffer.concat([Buffer.from(`${BODY}><message from='bob@lab.test/phone'><body>`), Buffer.of(0xc3, 0x28), Buffer.from('</body></message></body>')]);

  /** An answer to the held request; what Burrow says is wrong with it, and the condition it puts it under. */
  const answers: [string, string | Buffer, string, string][] = [
    ['an end tag that closes no element it opened', `${BODY}></a></body>`, '</a> closes <body>', 'not-well-formed'],
    ['the end of the body, then an end tag', `${BODY}></body></x>`, 'an end tag </x> closes no element', 'not-well-formed'],
    ['a second root', `${BODY}/>${BODY}/>`, "<body> after the root element's end", 'not-well-formed'],
    ['an attribute whose quote is left open', `${BODY}><message from='bob@lab.test/phone><body>hi</body></message></body>`, 'the document ends inside its root element', 'not-well-formed'],
    ['an end tag that closes another element', `${BODY}><message><body>hi</body></presence></body>`, '</presence> closes <message>', 'not-well-formed'],
    ['an entity XML does not define', `${BODY}><message><body>caf&eacute;</body></message></body>`, 'Illegal XML entity &eacute;', 'not-well-formed'],
    ['bytes that are not UTF-8', notUtf8, 'bytes that are not UTF-8', 'unsupported-encoding'],
  ];

  it.each(answers)('ends the session at once on an answer with %s, saying why, and the next stream works', async (_, answer, detail, condition) => {
    stream = await streamAtFeaturesOf(server, url);
    const { goneAfterMs } = await untilDisconnected(stream, async () => answerHeld(answer));
    expect(watch.escaped).toEqual([]);
    expect(stream.refusal).toEqual(new MalformedXmlError(detail, condition as MalformedXmlError['condition']));
    await waitFor(terminated, 'the terminate notice');
    expect(goneAfterMs).toBeLessThan(500);
    stream = await streamAtFeaturesOf(server, url);
    expect(stream.features.getChild('mechanisms', 'urn:ietf:params:xml:ns:xmpp-sasl')).toBeDefined();
  });

  it('still takes an answer that does not start as a BOSH body for something else than the service (a captive portal?)', async () => {
    const socket = new BoshSocket();
    const errors: unknown[] = [];
    socket.on('error', (error: unknown) => errors.push(error));
    stream = await streamAtFeaturesOf(server, url, socket);
    const { goneAfterMs } = await untilDisconnected(stream, async () => answerHeld(`</a>${BODY}/>`));
    expect(watch.escaped).toEqual([]);
    expect(errors).toEqual([new BoshProtocolError(url, 'malformed XML')]);
    expect(stream.refusal).toBeNull();
    expect(goneAfterMs).toBeLessThan(500);
  });
});
