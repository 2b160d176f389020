import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failedLogins, readProxyLogins } from './proxy-logins.js';
import { startUnauthorizedProxy } from './unauthorized-proxy.js';

const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A client connection that reads responses one at a time. */
function client(port: number): Promise<{ socket: Socket; send(text: string): void; read(until: RegExp): Promise<string> }> {
  return new Promise((resolve, reject) => {
    let received = '';
    let wake: (() => void) | undefined;
    const socket = createConnection(port, '127.0.0.1', () =>
      resolve({
        socket,
        send: (text) => socket.write(text),
        async read(until) {
          for (let i = 0; i < 100 && !until.test(received); i++) {
            await new Promise<void>((done) => {
              wake = done;
              setTimeout(done, 20);
            });
          }
          const taken = received;
          received = '';
          return taken;
        },
      }),
    );
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      received += chunk;
      wake?.();
    });
    socket.on('error', reject);
  });
}

describe('the 401 proxy (on loopback)', () => {
  let echo: Server;
  let proxy: Server;
  let proxyPort: number;
  let echoPort: number;
  let dir: string;
  const logFile = () => join(dir, 'logins.log');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'burrow-401-proxy-test-'));
    echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    echoPort = (echo.address() as AddressInfo).port;
    proxy = await startUnauthorizedProxy({
      host: '127.0.0.1',
      port: 0,
      username: 'burrow',
      password: 'right',
      realm: 'Test realm',
      logFile: logFile(),
      destinations: { networks: ['127.0.0.0/8'], ports: [echoPort] },
    });
    proxyPort = (proxy.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await Promise.all([close(proxy), close(echo)]);
    rmSync(dir, { recursive: true, force: true });
  });

  const connectLine = (target: string, headers: string[] = []) => [`CONNECT ${target} HTTP/1.1`, `Host: ${target}`, ...headers, '', ''].join('\r\n');

  it('answers a CONNECT without credentials, then a wrong password, with 401 and WWW-Authenticate on the same connection, then tunnels on Authorization', async () => {
    const before = readProxyLogins(logFile()).length;
    const target = `127.0.0.1:${echoPort}`;
    const c = await client(proxyPort);
    c.send(connectLine(target));
    const first = await c.read(/\r\n\r\n[^]*\n/);
    expect(first).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(first).toContain('WWW-Authenticate: Basic realm="Test realm"\r\n');
    expect(first).not.toMatch(/Proxy-Authenticate/i);
    c.send(connectLine(target, [`Authorization: ${basic('burrow', 'wrong')}`]));
    expect(await c.read(/\r\n\r\n[^]*\n/)).toMatch(/^HTTP\/1\.1 401 /);
    c.send(connectLine(target, [`Authorization: ${basic('burrow', 'right')}`]));
    expect(await c.read(/\r\n\r\n/)).toBe('HTTP/1.1 200 Connection established\r\n\r\n');
    c.send('hello through the tunnel');
    expect(await c.read(/tunnel/)).toBe('hello through the tunnel');
    c.socket.destroy();
    const logged = readProxyLogins(logFile()).slice(before);
    expect(logged.map(({ outcome, user, tunnel }) => ({ outcome, user, tunnel }))).toEqual([
      { outcome: 'no-credentials', user: undefined, tunnel: undefined },
      { outcome: 'refused', user: 'burrow', tunnel: undefined },
      { outcome: 'accepted', user: 'burrow', tunnel: 'opened' },
    ]);
    expect(failedLogins(logged)).toBe(1);
  });

  it('takes Proxy-Authorization too', async () => {
    const c = await client(proxyPort);
    c.send(connectLine(`127.0.0.1:${echoPort}`, [`Proxy-Authorization: ${basic('burrow', 'right')}`]));
    expect(await c.read(/\r\n\r\n/)).toMatch(/^HTTP\/1\.1 200 /);
    c.socket.destroy();
  });

  it('is never an open proxy: other ports and addresses outside its networks get 403 even after a good login', async () => {
    for (const target of [`127.0.0.1:${proxyPort}`, `198.51.100.1:${echoPort}`]) {
      const c = await client(proxyPort);
      c.send(connectLine(target, [`Authorization: ${basic('burrow', 'right')}`]));
      expect(await c.read(/\r\n\r\n[^]*\n/)).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
      c.socket.destroy();
    }
    expect(readProxyLogins(logFile()).slice(-2).map((record) => record.tunnel)).toEqual(['forbidden', 'forbidden']);
  });

  it('only tunnels: a plain request gets 405', async () => {
    const c = await client(proxyPort);
    c.send('GET http://chat.lab.test/ HTTP/1.1\r\nHost: chat.lab.test\r\n\r\n');
    expect(await c.read(/\r\n\r\n[^]*\n/)).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n/);
    c.socket.destroy();
  });
});
