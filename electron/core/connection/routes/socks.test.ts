import net from 'node:net';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { attemptCauseWords } from '../../../contract/attempt-words.js';
import { describeFailure } from '../causes.js';
import { closeServer, firstData, listenLocally } from '../testing/tcp-servers.js';
import { openSocksTunnel } from './socks.js';

interface SocksRequest {
  /** The destination as the client sent it: a name (SOCKS5h) or an address. */
  host: string;
  port: number;
}

/** A SOCKS5 proxy (RFC 1928/1929) allowing CONNECT to some ports, optionally with user name and password. */
async function startFakeSocks5(options: { allowedPorts: number[]; credentials?: { user: string; password: string } }) {
  const requests: SocksRequest[] = [];
  const server = net.createServer((client) => {
    let buffer = Buffer.alloc(0);
    let stage: 'greeting' | 'auth' | 'request' = 'greeting';
    client.on('error', () => {});
    client.on('data', function onData(chunk: Buffer) {
      buffer = Buffer.concat([buffer, chunk]);
      if (stage === 'greeting') {
        const methods = [...buffer.subarray(2, 2 + (buffer[1] ?? 0))];
        buffer = Buffer.alloc(0);
        if (options.credentials && !methods.includes(2)) {
          client.end(Buffer.from([5, 0xff]));
          return;
        }
        client.write(Buffer.from([5, options.credentials ? 2 : 0]));
        stage = options.credentials ? 'auth' : 'request';
      } else if (stage === 'auth') {
        const userLength = buffer[1] ?? 0;
        const user = buffer.subarray(2, 2 + userLength).toString();
        const password = buffer.subarray(3 + userLength, 3 + userLength + (buffer[2 + userLength] ?? 0)).toString();
        buffer = Buffer.alloc(0);
        const accepted = user === options.credentials?.user && password === options.credentials.password;
        if (!accepted) {
          client.end(Buffer.from([1, 1]));
          return;
        }
        client.write(Buffer.from([1, 0]));
        stage = 'request';
      } else {
        const addressType = buffer[3];
        const hostEnd = addressType === 3 ? 5 + (buffer[4] ?? 0) : addressType === 4 ? 20 : 8;
        const host =
          addressType === 3
            ? buffer.subarray(5, hostEnd).toString()
            : addressType === 4
              ? buffer.subarray(4, 20).toString('hex')
              : [...buffer.subarray(4, 8)].join('.');
        const port = buffer.readUInt16BE(hostEnd);
        requests.push({ host, port });
        client.off('data', onData);
        if (!options.allowedPorts.includes(port)) {
          client.end(Buffer.from([5, 2, 0, 1, 0, 0, 0, 0, 0, 0]));
          return;
        }
        const upstream = net.connect(port, '127.0.0.1', () => {
          client.write(Buffer.from([5, 0, 0, 1, 127, 0, 0, 1, 0, 0]));
          client.pipe(upstream).pipe(client);
        });
        upstream.on('error', () => client.destroy());
      }
    });
  });
  return { server, port: await listenLocally(server), requests };
}

const options = () => ({ signal: new AbortController().signal, timeoutMs: 2000 });

describe('openSocksTunnel', () => {
  const servers: net.Server[] = [];
  let echoPort: number;

  beforeEach(async () => {
    const echo = net.createServer((socket) => socket.pipe(socket));
    servers.push(echo);
    echoPort = await listenLocally(echo);
  });

  afterEach(async () => {
    await Promise.all(servers.splice(0).map(closeServer));
  });

  async function socks(settings: Parameters<typeof startFakeSocks5>[0]) {
    const started = await startFakeSocks5(settings);
    servers.push(started.server);
    return started;
  }

  it('gives a socket to the target through SOCKS5 with user name and password', async () => {
    const fake = await socks({ allowedPorts: [echoPort], credentials: { user: 'alice', password: 's3cret' } });
    const proxy = { host: '127.0.0.1', port: fake.port, version: 5 as const, username: 'alice', password: 's3cret', resolveThroughProxy: true };
    const socket = await openSocksTunnel(proxy, { host: 'localhost', port: echoPort }, options());
    socket.write('ping');
    expect(await firstData(socket)).toBe('ping');
    socket.destroy();
  });

  it('lets the proxy resolve the name when asked (SOCKS5h), and resolves it locally otherwise', async () => {
    const fake = await socks({ allowedPorts: [echoPort] });
    const proxy = { host: '127.0.0.1', port: fake.port, version: 5 as const };
    (await openSocksTunnel({ ...proxy, resolveThroughProxy: true }, { host: 'localhost', port: echoPort }, options())).destroy();
    const local = await openSocksTunnel({ ...proxy, resolveThroughProxy: false }, { host: 'localhost', port: echoPort }, options());
    local.destroy();
    expect(fake.requests.map((request) => request.host)).toEqual([
      'localhost',
      expect.stringMatching(/^127\.0\.0\.1$|^0{31}1$/), // 127.0.0.1 or ::1, sent as an address
    ]);
  });

  it('reports wrong credentials as a proxy authentication failure', async () => {
    const fake = await socks({ allowedPorts: [echoPort], credentials: { user: 'alice', password: 's3cret' } });
    const proxy = { host: '127.0.0.1', port: fake.port, version: 5 as const, username: 'alice', password: 'nope', resolveThroughProxy: true };
    const error = await openSocksTunnel(proxy, { host: 'chat.lab.test', port: 5222 }, options()).catch((caught: unknown) => caught);
    const cause = describeFailure(error, { host: 'chat.lab.test', port: 5222 });
    expect(cause.kind).toBe('proxy-authentication');
    expect(attemptCauseWords(cause)).toBe(
      `proxy authentication failed at 127.0.0.1:${fake.port} (the proxy rejected the user name or password); check the proxy user name and password`,
    );
  });

  it('reports a refused destination in plain words', async () => {
    const fake = await socks({ allowedPorts: [] });
    const proxy = { host: '127.0.0.1', port: fake.port, version: 5 as const, resolveThroughProxy: true };
    const error = await openSocksTunnel(proxy, { host: 'chat.lab.test', port: 5222 }, options()).catch((caught: unknown) => caught);
    expect(attemptCauseWords(describeFailure(error, { host: 'chat.lab.test', port: 5222 }))).toBe(
      `127.0.0.1:${fake.port} refused CONNECT to port 5222 (not allowed by its rules)`,
    );
  });

  it('reports a proxy that needs credentials when none were given', async () => {
    const fake = await socks({ allowedPorts: [echoPort], credentials: { user: 'alice', password: 's3cret' } });
    const proxy = { host: '127.0.0.1', port: fake.port, version: 5 as const, resolveThroughProxy: true };
    const error = await openSocksTunnel(proxy, { host: 'chat.lab.test', port: 5222 }, options()).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'authentication' });
  });
});
