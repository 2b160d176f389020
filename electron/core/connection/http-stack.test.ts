import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { XmppStream } from '../stream/xmpp-stream.js';
import { BoshSocket } from './bosh.js';
import { NoAnswerError } from './errors.js';
import { fetchHttpStack } from './fetch-http-stack.js';
import { burrowHttpStack } from './http-stack.js';
import type { HttpStack } from './http-stack.js';
import { FakeHttpStack } from './testing/fake-http-stack.js';
import { closeServer } from './testing/tcp-servers.js';

/** A server that answers every POST with `answer`, after echoing what it was sent in a header. */
async function startServer(answer: (request: http.IncomingMessage, body: string, response: http.ServerResponse) => void) {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/http-bind`) };
}

const stacks: Record<string, () => HttpStack> = {
  "Burrow's own stack": () => burrowHttpStack({ agent: new http.Agent({ keepAlive: true }) }),
  'the fetch-based stack (what Chromium carries in Electron)': () => fetchHttpStack(fetch),
};

describe.each(Object.entries(stacks))('%s', (_name, createStack) => {
  let server: http.Server | undefined;
  let stack: HttpStack | undefined;

  afterEach(async () => {
    stack?.close();
    server?.closeAllConnections();
    if (server) await closeServer(server);
    server = undefined;
  });

  async function start(answer: Parameters<typeof startServer>[0]) {
    const started = await startServer(answer);
    server = started.server;
    stack = createStack();
    return { url: started.url, stack };
  }

  const post = (url: URL, overrides: Partial<Parameters<HttpStack['post']>[0]> = {}) =>
    ({ url, body: '<body/>', timeoutMs: 2000, signal: new AbortController().signal, ...overrides });

  it('posts the XML document and returns the whole answer', async () => {
    const { url, stack } = await start((request, body, response) =>
      response.writeHead(200, 'Fine', { 'Content-Type': 'text/xml' }).end(`<echo type='${request.headers['content-type']}'>${body}</echo>`),
    );
    await expect(stack.post(post(url))).resolves.toMatchObject({
      status: 200,
      statusText: 'Fine',
      text: "<echo type='text/xml; charset=utf-8'><body/></echo>",
      utf8: true,
    });
  });

  it('returns an error status as it came, and says when the bytes are not UTF-8', async () => {
    const { url, stack } = await start((_request, _body, response) => response.writeHead(503, 'Busy').end(Buffer.from([0xff, 0xfe])));
    await expect(stack.post(post(url))).resolves.toMatchObject({ status: 503, statusText: 'Busy', utf8: false });
  });

  it('stops the answer at what the inspector throws', async () => {
    const { url, stack } = await start((_request, _body, response) => response.writeHead(200).end('too much'));
    const refusal = new Error('over the limit');
    const inspect = () => {
      throw refusal;
    };
    await expect(stack.post(post(url, { inspect }))).rejects.toBe(refusal);
  });

  it('fails with "no answer" when the server holds the request past the timeout', async () => {
    const { url, stack } = await start(() => {});
    await expect(stack.post(post(url, { timeoutMs: 100 }))).rejects.toBeInstanceOf(NoAnswerError);
  });

  it('gives up when aborted', async () => {
    const { url, stack } = await start(() => {});
    const abort = new AbortController();
    const posted = stack.post(post(url, { signal: abort.signal }));
    abort.abort();
    await expect(posted).rejects.toThrow();
  });

  it('fails a request the network lost as a lost request, which BOSH resends', async () => {
    const { url, stack } = await start((request) => request.socket.destroy());
    await expect(stack.post(post(url))).rejects.toMatchObject({ code: 'ECONNRESET' });
  });
});

describe('BoshSocket through the HttpStack seam', () => {
  it('runs its session on the stack it is given, and closes it with the session', async () => {
    const stack = new FakeHttpStack();
    const socket = new BoshSocket({ http: stack });
    socket.connect('https://chat.lab.test/http-bind');
    const stream = await XmppStream.open(socket, { domain: 'lab.test' });
    expect(stream.features.toString()).toContain('PLAIN');
    expect(stack.posts.map(({ url }) => url.href)).toContain('https://chat.lab.test/http-bind');
    await stream.stop();
    await vi.waitFor(() => expect(stack.closed).toBe(true));
  });
});

describe('the fetch-based stack, with the failures Chromium names', () => {
  const post = { url: new URL('https://chat.lab.test/http-bind'), body: '<body/>', timeoutMs: 2000, signal: new AbortController().signal };
  const failingWith = (message: string) => fetchHttpStack(() => Promise.reject(new Error(message)));

  it('marks a request the network lost as one, which BOSH resends', async () => {
    await expect(failingWith('net::ERR_CONNECTION_RESET').post(post)).rejects.toMatchObject({ code: 'ECONNRESET' });
    await expect(failingWith('net::ERR_EMPTY_RESPONSE').post(post)).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('passes a refused certificate on in Chromium\'s words, not as a lost request', async () => {
    const error: unknown = await failingWith('net::ERR_CERT_AUTHORITY_INVALID').post(post).catch((failed: unknown) => failed);
    expect(error).toMatchObject({ message: 'net::ERR_CERT_AUTHORITY_INVALID' });
    expect(error).not.toHaveProperty('code');
  });
});

