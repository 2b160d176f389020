import { request as httpRequest } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Notice } from '../contract/contract.js';
import type { Core } from '../core/index.js';
import type { Host } from './host.js';
import { closeCode, nextMessage, startTestHost, type TestHost } from './testing/test-host.js';

let testHost: TestHost;
let core: Core;
let host: Host;
let cookie: string;
const onQuit = vi.fn();

beforeEach(async () => {
  testHost = await startTestHost(onQuit);
  ({ core, host, cookie } = testHost);
});

afterEach(() => testHost.close());

/** A raw GET, with a Host header of the test's choosing (fetch does not let one set it). */
function get(pathname: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(new URL(pathname, host.url), { headers }, (response) => {
      response.resume();
      resolve(response.statusCode!);
    });
    request.once('error', reject).end();
  });
}

describe('browser mode host: who may use it', () => {
  it('prints an address with this launch\'s secret, which it trades for a same-site, HTTP-only cookie', async () => {
    expect(host.entryUrl).toMatch(new RegExp(`^${host.url}\\?secret=[\\w-]{43}$`));
    const response = await fetch(host.entryUrl, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    expect(response.headers.get('set-cookie')).toMatch(/^burrow-secret-\d+=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
  });

  it('keeps the rest of the address when it takes the secret out', async () => {
    const response = await fetch(`${host.entryUrl}&window=preferences`, { redirect: 'manual' });
    expect(response.headers.get('location')).toBe('/?window=preferences');
  });

  it('refuses pages and the WebSocket to a client without the secret, or with a wrong one', async () => {
    expect((await fetch(host.url)).status).toBe(403);
    expect(await (await fetch(host.url)).text()).toMatch(/address `npm run start:browser` printed/);
    expect((await fetch(`${host.url}?secret=guess`)).status).toBe(403);
    await expect(testHost.connect({ headers: {} })).rejects.toThrow(/403/);
    await expect(testHost.connect({ headers: { cookie: cookie.replace(/=.*/, '=wrong') } })).rejects.toThrow(/403/);
  });

  it('refuses a request for another host name, even with the secret (DNS rebinding)', async () => {
    const port = new URL(host.url).port;
    expect(await get('/', { cookie, host: `127.0.0.1:${port}` })).toBe(200);
    expect(await get('/', { cookie, host: `localhost:${port}` })).toBe(200);
    expect(await get('/', { cookie, host: `attacker.example:${port}` })).toBe(403);
  });

  it('refuses a WebSocket from another origin, so other web pages cannot reach the messenger', async () => {
    await expect(testHost.connect({ origin: 'http://evil.example' })).rejects.toThrow(/403/);
  });
});

describe('browser mode host: a misbehaving client', () => {
  it('closes a socket that sends a frame over 1 MiB, and goes on serving', async () => {
    const socket = await testHost.connect();
    const closed = closeCode(socket);
    socket.send('x'.repeat(2 * 1024 * 1024));
    expect(await closed).toBe(1009);
    await expectStillServing();
  });

  it('closes a socket that sends text that is not UTF-8, and goes on serving', async () => {
    const socket = await testHost.connect();
    const closed = closeCode(socket);
    socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0xfd, 0xc3, 0x28, 0xa0, 0xa1, 0x7d]), { binary: false });
    expect(await closed).toBe(1007);
    await expectStillServing();
  });

  it('answers an address it cannot decode with 400', async () => {
    expect(await get('/%E0%A4%A', { cookie })).toBe(400);
    await expectStillServing();
  });

  async function expectStillServing() {
    const socket = await testHost.connect();
    socket.send(JSON.stringify({ type: 'invoke', id: 9, channel: 'app:getInfo' }));
    expect(await nextMessage(socket)).toMatchObject({ id: 9, outcome: { ok: true } });
    socket.close();
  }
});

describe('browser mode host', () => {
  it('serves the UI with a strict content security policy', async () => {
    const response = await fetch(host.url, { headers: { cookie } });
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<h1>Burrow</h1>');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('serves nothing outside the renderer folder', async () => {
    const response = await fetch(`${host.url}..%2f..%2fetc%2fpasswd`, { headers: { cookie } });
    expect(response.status).toBe(404);
  });

  it('answers contract requests over the WebSocket from its own page', async () => {
    const socket = await testHost.connect();
    socket.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'app:getInfo' }));
    expect(await nextMessage(socket)).toMatchObject({ type: 'result', id: 1, outcome: { ok: true, value: { name: 'Burrow', version: '9.9.9', mode: 'browser' } } });
    socket.close();
  });

  it('answers malformed messages and invalid payloads with clear errors and keeps serving', async () => {
    const socket = await testHost.connect();
    socket.send('{not json');
    expect(await nextMessage(socket)).toMatchObject({ outcome: { ok: false, error: { code: 'invalid-payload', message: 'Malformed message: not JSON.' } } });
    socket.send(JSON.stringify({ type: 'invoke', id: 2, channel: 'app:dismissNotice', payload: { id: '' } }));
    expect(await nextMessage(socket)).toMatchObject({ id: 2, outcome: { ok: false, error: { code: 'invalid-payload' } } });
    socket.send(JSON.stringify({ type: 'invoke', id: 3, channel: 'window:openPreferences' }));
    expect(await nextMessage(socket)).toMatchObject({ id: 3, outcome: { ok: false, error: { code: 'invalid-channel' } } });
    socket.send(JSON.stringify({ type: 'invoke', id: 4, channel: 'app:getInfo' }));
    expect(await nextMessage(socket)).toMatchObject({ id: 4, outcome: { ok: true } });
    socket.close();
  });

  it('pushes core events to connected pages', async () => {
    const socket = await testHost.connect();
    const message = nextMessage(socket);
    const notice: Notice = core.notices.post('warning', 'Your settings file was unreadable; it was backed up and replaced by defaults.');
    expect(await message).toEqual({ type: 'event', channel: 'app:notice', payload: notice });
    socket.close();
  });

  it('stops on File › Quit, as the app would', async () => {
    const socket = await testHost.connect();
    socket.send(JSON.stringify({ type: 'invoke', id: 5, channel: 'app:quit' }));
    expect(await nextMessage(socket)).toMatchObject({ id: 5, outcome: { ok: true } });
    await vi.waitFor(() => expect(onQuit).toHaveBeenCalledOnce());
    socket.close();
  });
});

describe('browser mode host: a page that cannot keep up', () => {
  it('has its roster changes held and merged while it does not read, and gets the latest of each contact, in far fewer events, when it does', async () => {
    const socket = await testHost.connect();
    const received: { channel: string; payload: { upserted: { jid: string; status: string | null }[] } }[] = [];
    let events = 0;
    socket.on('message', (data) => {
      events += 1;
      received.push(JSON.parse(data.toString()) as (typeof received)[number]);
    });
    socket.pause();

    // 20 rounds of a presence flood over 500 contacts, 4 KB of status each: 40 MB the host would otherwise queue.
    const contacts = 500;
    const rounds = 20;
    const padding = 'x'.repeat(4_000);
    for (let round = 0; round < rounds; round++) {
      for (let n = 0; n < contacts; n++) {
        const contact = { jid: `c${n}@lab.test`, name: null, groups: [], subscription: 'both' as const, askPending: false, availability: 'available' as const, status: `round ${round} ${padding}` };
        core.events.emit('roster:delta', { communityId: 'lab', upserted: [contact], removed: [], requestsAdded: [], requestsRemoved: [] });
      }
    }

    socket.resume();
    const latest = new Map<string, string | null>();
    await vi.waitFor(
      () => {
        for (const { payload } of received.splice(0)) for (const { jid, status } of payload.upserted) latest.set(jid, status);
        expect([...latest.values()].filter((status) => status?.startsWith(`round ${rounds - 1} `))).toHaveLength(contacts);
      },
      { timeout: 10_000 },
    );
    expect(events).toBeLessThan((contacts * rounds) / 2);
    socket.close();
  });
});
