import net from 'node:net';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { describeFailure } from '../causes.js';
import { ProxyError } from '../errors.js';
import { closeServer, firstData, listenLocally } from '../testing/tcp-servers.js';
import { openHttpTunnel } from './http-connect.js';

/** An HTTP proxy that allows CONNECT to some ports only, optionally behind Basic authentication. */
async function startFakeProxy(options: { allowedPorts: number[]; credentials?: string; earlyBytes?: string }) {
  const requests: string[] = [];
  const server = net.createServer((client) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      client.off('data', onData);
      requests.push(head);
      const [, host = '', port = ''] = /^CONNECT (.+):(\d+) HTTP/.exec(head) ?? [];
      const expected = options.credentials && `Proxy-Authorization: Basic ${Buffer.from(options.credentials).toString('base64')}`;
      if (expected && !head.includes(expected)) {
        client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="lab"\r\n\r\n');
      } else if (!options.allowedPorts.includes(Number(port))) {
        client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      } else {
        const upstream = net.connect(Number(port), host, () => {
          client.write(`HTTP/1.1 200 Connection established\r\n\r\n${options.earlyBytes ?? ''}`);
          client.pipe(upstream).pipe(client);
        });
        upstream.on('error', () => client.destroy());
      }
    };
    client.on('data', onData);
    client.on('error', () => {});
  });
  return { server, port: await listenLocally(server), requests };
}

async function startEchoServer() {
  const server = net.createServer((socket) => socket.pipe(socket));
  return { server, port: await listenLocally(server) };
}

const options = () => ({ signal: new AbortController().signal, timeoutMs: 2000 });

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

  async function proxy(settings: Parameters<typeof startFakeProxy>[0]) {
    const started = await startFakeProxy(settings);
    servers.push(started.server);
    return started;
  }

  it('gives a socket that carries bytes to the target through CONNECT', async () => {
    const fake = await proxy({ allowedPorts: [echo.port] });
    const socket = await openHttpTunnel({ host: '127.0.0.1', port: fake.port, secure: false }, { host: '127.0.0.1', port: echo.port }, options());
    socket.write('ping');
    expect(await firstData(socket)).toBe('ping');
    expect(fake.requests[0]).toMatch(new RegExp(`^CONNECT 127\\.0\\.0\\.1:${echo.port} HTTP/1\\.1\\r\\nHost: 127\\.0\\.0\\.1:${echo.port}\\r\\n`));
    socket.destroy();
  });

  it('keeps bytes that arrive together with the proxy\'s answer', async () => {
    const fake = await proxy({ allowedPorts: [echo.port], earlyBytes: '<?xml' });
    const socket = await openHttpTunnel({ host: '127.0.0.1', port: fake.port, secure: false }, { host: '127.0.0.1', port: echo.port }, options());
    expect(await firstData(socket)).toBe('<?xml');
    socket.destroy();
  });

  it('sends Basic credentials', async () => {
    const fake = await proxy({ allowedPorts: [echo.port], credentials: 'alice:s3cret' });
    const proxySettings = { host: '127.0.0.1', port: fake.port, secure: false, username: 'alice', password: 's3cret' };
    const socket = await openHttpTunnel(proxySettings, { host: '127.0.0.1', port: echo.port }, options());
    expect(fake.requests[0]).toContain(`Proxy-Authorization: Basic ${Buffer.from('alice:s3cret').toString('base64')}`);
    socket.destroy();
  });

  it('reports a refused CONNECT with the proxy, the port and the status', async () => {
    const fake = await proxy({ allowedPorts: [443] });
    const attempt = openHttpTunnel({ host: '127.0.0.1', port: fake.port, secure: false }, { host: 'chat.lab.test', port: 5222 }, options());
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProxyError);
    expect(describeFailure(error, { host: 'chat.lab.test', port: 5222 }).text).toBe(`127.0.0.1:${fake.port} refused CONNECT to port 5222 (403)`);
  });

  it('reports wrong credentials as a proxy authentication failure', async () => {
    const fake = await proxy({ allowedPorts: [echo.port], credentials: 'alice:s3cret' });
    const proxySettings = { host: '127.0.0.1', port: fake.port, secure: false, username: 'alice', password: 'wrong' };
    const error = await openHttpTunnel(proxySettings, { host: '127.0.0.1', port: echo.port }, options()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'authentication', status: 407 });
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a proxy that cannot be reached as the proxy\'s fault', async () => {
    const closed = await startEchoServer();
    await closeServer(closed.server);
    const error = await openHttpTunnel({ host: '127.0.0.1', port: closed.port, secure: false }, { host: 'chat.lab.test', port: 443 }, options()).catch(
      (caught: unknown) => caught,
    );
    expect(describeFailure(error, { host: 'chat.lab.test', port: 443 }).text).toBe(
      `the proxy 127.0.0.1:${closed.port} could not be reached (connection refused)`,
    );
  });

  it('reports something that is not an HTTP proxy', async () => {
    const notAProxy = net.createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n'));
    servers.push(notAProxy);
    const port = await listenLocally(notAProxy);
    const error = await openHttpTunnel({ host: '127.0.0.1', port, secure: false }, { host: 'chat.lab.test', port: 443 }, options()).catch(
      (caught: unknown) => caught,
    );
    expect(error).toMatchObject({ kind: 'protocol', detail: 'it answered CONNECT with "SSH-2.0-OpenSSH_9.2"' });
  });

  it('stops when the attempt is cancelled', async () => {
    const silent = net.createServer(() => {});
    servers.push(silent);
    const port = await listenLocally(silent);
    const controller = new AbortController();
    const attempt = openHttpTunnel({ host: '127.0.0.1', port, secure: false }, { host: 'chat.lab.test', port: 443 }, {
      signal: controller.signal,
      timeoutMs: 5000,
    });
    setTimeout(() => controller.abort(new Error('cancelled by the race')), 20);
    await expect(attempt).rejects.toThrow('cancelled by the race');
  });
});
