import { createHash } from 'node:crypto';
import { createConnection, createServer, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDelayRelay } from './delay-relay.js';

const delayMs = 60;
const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

/** Sends `payload` through the relay to an echo server and returns what came back and how long it took. */
function echoThrough(port: number, payload: Buffer): Promise<{ echoed: Buffer; ms: number }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const chunks: Buffer[] = [];
    const socket = createConnection(port, '127.0.0.1', () => socket.end(payload));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => resolve({ echoed: Buffer.concat(chunks), ms: Date.now() - started }));
    socket.on('error', reject);
  });
}

describe('the delay relay (on loopback)', () => {
  let echo: Server;
  let relay: Server;
  let relayPort: number;

  beforeAll(async () => {
    echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const target = { host: '127.0.0.1', port: (echo.address() as AddressInfo).port };
    relay = await startDelayRelay({ listen: { host: '127.0.0.1', port: 0 }, target }, delayMs);
    relayPort = (relay.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await close(relay);
    await close(echo);
  });

  it('delays each direction, so a round trip takes at least twice the delay', async () => {
    const { echoed, ms } = await echoThrough(relayPort, Buffer.from('ping'));
    expect(echoed.toString()).toBe('ping');
    expect(ms).toBeGreaterThanOrEqual(2 * delayMs);
  });

  it('carries megabytes intact and in order', async () => {
    const payload = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < payload.length; i += 4) payload.writeUInt32BE(i, i);
    const { echoed } = await echoThrough(relayPort, payload);
    const digest = (data: Buffer): string => createHash('sha256').update(data).digest('hex');
    expect(echoed.length).toBe(payload.length);
    expect(digest(echoed)).toBe(digest(payload));
  });
});
