import net from 'node:net';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { attemptCauseWords } from '../../../contract/attempt-words.js';
import { describeFailure } from '../causes.js';
import { ProxyError } from '../errors.js';
import { fakeDigestOffer, startFakeHttpProxy } from '../testing/fake-http-proxy.js';
import type { FakeHttpProxyOptions } from '../testing/fake-http-proxy.js';
import { closeServer, firstData, listenLocally } from '../testing/tcp-servers.js';
import { openHttpTunnel } from './http-connect.js';
import type { HttpProxyEndpoint } from './http-connect.js';
import type { LoginMemory } from './proxy-auth/login.js';

async function startEchoServer() {
  const server = net.createServer((socket) => socket.pipe(socket));
  return { server, port: await listenLocally(server) };
}

const options = () => ({ signal: new AbortController().signal, timeoutMs: 2000 });
const alice = { username: 'CORP\\alice', password: 's3cret' };

describe('openHttpTunnel', () => {
  let echo: Awaited<ReturnType<typeof startEchoServer>>;
  const servers: net.Server[] = [];

  beforeEach(async () => {
    echo = await startEchoServer();
    servers.push(echo.server);
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map(closeServer));
  });

  async function proxy(settings: FakeHttpProxyOptions = {}) {
    const started = await startFakeHttpProxy({ allowedPorts: [echo.port], ...settings });
    servers.push(started.server);
    return started;
  }

  const through = (port: number, extra: Partial<HttpProxyEndpoint> = {}) => ({ host: '127.0.0.1', port, secure: false, ...extra });
  const toEcho = () => ({ host: '127.0.0.1', port: echo.port });

  async function carriesBytes(socket: net.Socket) {
    socket.write('ping');
    expect(await firstData(socket)).toBe('ping');
    socket.destroy();
  }

  it('gives a socket that carries bytes to the target through CONNECT', async () => {
    const fake = await proxy();
    await carriesBytes(await openHttpTunnel(through(fake.port), toEcho(), options()));
    expect(fake.requests[0]?.head).toMatch(new RegExp(`^CONNECT 127\\.0\\.0\\.1:${echo.port} HTTP/1\\.1\\r\\nHost: 127\\.0\\.0\\.1:${echo.port}$`));
  });

  it("keeps bytes that arrive together with the proxy's answer", async () => {
    const early = net.createServer((client) => client.once('data', () => client.write('HTTP/1.1 200 OK\r\n\r\n<?xml')));
    servers.push(early);
    const socket = await openHttpTunnel(through(await listenLocally(early)), toEcho(), options());
    expect(await firstData(socket)).toBe('<?xml');
    socket.destroy();
  });

  it('sends no credentials before the proxy has said which scheme it wants', async () => {
    const fake = await proxy();
    await carriesBytes(await openHttpTunnel(through(fake.port, alice), toEcho(), options()));
    expect(fake.requests.map((request) => request.authorization)).toEqual([undefined]);
  });

  it('logs in with Basic when that is what the proxy offers, on the same connection', async () => {
    const fake = await proxy({ offers: ['Basic realm="lab"'], user: alice });
    await carriesBytes(await openHttpTunnel(through(fake.port, alice), toEcho(), options()));
    expect(fake.requests.map(({ connection, authorization }) => ({ connection, authorization }))).toEqual([
      { connection: 0 },
      { connection: 0, authorization: `Basic ${Buffer.from('CORP\\alice:s3cret').toString('base64')}` },
    ]);
  });

  it('logs in with Digest over Basic, and never sends Basic to a proxy that offered only Digest', async () => {
    const both = await proxy({ offers: ['Basic realm="lab"', fakeDigestOffer('SHA-256')], user: alice });
    await carriesBytes(await openHttpTunnel(through(both.port, alice), toEcho(), options()));
    expect(both.logins().map(({ authorization }) => authorization?.split(' ')[0])).toEqual(['Digest']);
    expect(both.logins()[0]?.authorization).toContain(`uri="127.0.0.1:${echo.port}", algorithm=SHA-256`);
  });

  it('logs in with NTLMv2, negotiate to authenticate on one keep-alive connection', async () => {
    const fake = await proxy({ offers: ['Negotiate', 'NTLM', 'Basic realm="lab"'], user: alice });
    await carriesBytes(await openHttpTunnel(through(fake.port, alice), toEcho(), options()));
    expect(fake.requests.map(({ connection, authorization }) => [connection, authorization?.slice(0, 12)])).toEqual([
      [0, undefined],
      [0, 'NTLM TlRMTVN'],
      [0, 'NTLM TlRMTVN'],
    ]);
    expect(fake.logins()).toHaveLength(1);
  });

  it('opens a new connection for the next leg when the proxy closes after its 407', async () => {
    const fake = await proxy({ offers: ['NTLM'], user: alice, closeAfterRefusal: true });
    await carriesBytes(await openHttpTunnel(through(fake.port, alice), toEcho(), options()));
    expect(fake.requests.map(({ connection }) => connection)).toEqual([0, 1, 1]);
  });

  it('answers a 401 with WWW-Authenticate with Authorization, and says the proxy asked for a login', async () => {
    const fake = await proxy({ offers: ['Basic realm="lab"'], user: alice, asks: 401 });
    await carriesBytes(await openHttpTunnel(through(fake.port, alice), toEcho(), options()));
    expect(fake.requests[1]?.head).toContain('\r\nAuthorization: Basic ');

    const error = await openHttpTunnel(through(fake.port), toEcho(), options()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'authentication', status: 401, login: { status: 401, offered: ['basic'], credentials: 'not-configured' } });
  });

  it('remembers the scheme for the race: the next tunnel answers at once', async () => {
    const fake = await proxy({ offers: [fakeDigestOffer()], user: alice });
    const memory: LoginMemory = {};
    for (let tunnel = 0; tunnel < 3; tunnel++) {
      await carriesBytes(await openHttpTunnel(through(fake.port, { ...alice, login: memory }), toEcho(), options()));
    }
    expect(fake.requests).toHaveLength(4);
    expect(fake.logins().map(({ authorization }) => /nc=(\d+)/.exec(authorization ?? '')?.[1])).toEqual(['00000001', '00000002', '00000003']);
  });

  it('tries wrong credentials once, and says which scheme the proxy refused', async () => {
    for (const offers of [['Basic realm="lab"'], [fakeDigestOffer()], ['NTLM']]) {
      const fake = await proxy({ offers, user: alice });
      const error = await openHttpTunnel(through(fake.port, { ...alice, password: 'wrong' }), toEcho(), options()).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ProxyError);
      expect(error).toMatchObject({ kind: 'authentication', status: 407, login: { credentials: 'configured', tried: offers[0]?.split(' ')[0]?.toLowerCase() } });
      expect(fake.logins()).toHaveLength(1);
    }
  });

  it('does not log in to a proxy that offers only Negotiate, and says so', async () => {
    const fake = await proxy({ offers: ['Negotiate'], user: alice });
    const error = await openHttpTunnel(through(fake.port, alice), toEcho(), options()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'authentication', login: { offered: ['negotiate'], credentials: 'configured' } });
    expect((error as ProxyError).login?.tried).toBeUndefined();
    expect(fake.logins()).toHaveLength(0);
  });

  it('keeps configured credentials back from a probe, and does not ask again a proxy known to want them', async () => {
    const fake = await proxy({ offers: ['Basic realm="lab"'], user: alice });
    const memory: LoginMemory = {};
    const probe = () => openHttpTunnel(through(fake.port, { ...alice, withholdCredentials: true, login: memory }), toEcho(), options());
    await expect(probe()).rejects.toMatchObject({ kind: 'authentication', login: { status: 407, offered: ['basic'], credentials: 'withheld' } });
    await expect(probe()).rejects.toMatchObject({ kind: 'authentication', login: { credentials: 'withheld' } });
    expect(fake.requests.map(({ authorization }) => authorization)).toEqual([undefined]);
  });

  it('reports a refused CONNECT with the proxy, the port and the status', async () => {
    const fake = await proxy({ allowedPorts: [443] });
    const error = await openHttpTunnel(through(fake.port), { host: 'chat.lab.test', port: 5222 }, options()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProxyError);
    expect(attemptCauseWords(describeFailure(error, { host: 'chat.lab.test', port: 5222 }))).toBe(`127.0.0.1:${fake.port} refused CONNECT to port 5222 (403)`);
  });

  it("reports a proxy that cannot be reached as the proxy's fault", async () => {
    const closed = await startEchoServer();
    await closeServer(closed.server);
    const error = await openHttpTunnel(through(closed.port), { host: 'chat.lab.test', port: 443 }, options()).catch((caught: unknown) => caught);
    expect(attemptCauseWords(describeFailure(error, { host: 'chat.lab.test', port: 443 }))).toBe(`the proxy 127.0.0.1:${closed.port} could not be reached (connection refused)`);
  });

  it('reports something that is not an HTTP proxy', async () => {
    const notAProxy = net.createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n'));
    servers.push(notAProxy);
    const port = await listenLocally(notAProxy);
    const error = await openHttpTunnel(through(port), { host: 'chat.lab.test', port: 443 }, options()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'protocol', detail: 'it answered CONNECT with "SSH-2.0-OpenSSH_9.2"' });
  });

  it('stops when the attempt is cancelled', async () => {
    const silent = net.createServer(() => {});
    servers.push(silent);
    const port = await listenLocally(silent);
    const controller = new AbortController();
    const attempt = openHttpTunnel(through(port), { host: 'chat.lab.test', port: 443 }, { signal: controller.signal, timeoutMs: 5000 });
    setTimeout(() => controller.abort(new Error('cancelled by the race')), 20);
    await expect(attempt).rejects.toThrow('cancelled by the race');
  });
});
