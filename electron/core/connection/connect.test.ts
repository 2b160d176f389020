import { afterEach, describe, expect, it } from 'vitest';

import { attemptCauseWords } from '../../contract/attempt-words.js';
import { connectToCommunity } from './connect.js';
import type { ConnectOutcome } from './connect.js';
import type { AttemptEvent } from './race.js';
import { FakeHttpStack } from './testing/fake-http-stack.js';
import { startFakeHttpProxy } from './testing/fake-http-proxy.js';
import { startFakeXmppServer, testCertificate } from './testing/fake-xmpp-server.js';
import { closeServer } from './testing/tcp-servers.js';
import type { FakeXmppServer } from './testing/fake-xmpp-server.js';
import { memoryWinnerStore, WinnerMemory } from './winners.js';

const trust = { extraCas: [testCertificate] };
const noHostMeta = () => Promise.reject(Object.assign(new Error('HTTP 404'), { status: 404 }));
const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));

describe('connectToCommunity', () => {
  let server: FakeXmppServer | undefined;
  const outcomes: ConnectOutcome[] = [];

  async function stopConnections() {
    for (const { result } of outcomes.splice(0)) if (result.connected) await result.connection.client.stop();
  }

  afterEach(async () => {
    await stopConnections();
    await server?.close();
  });

  async function connect(request: Parameters<typeof connectToCommunity>[0]) {
    const outcome = await connectToCommunity(request);
    outcomes.push(outcome);
    return outcome;
  }

  it('connects over the address given, and signs in when asked', async () => {
    server = await startFakeXmppServer({ mode: 'starttls' });
    const { result, discovery } = await connect({
      address: `localhost:${server.port}`,
      method: 'automatic',
      allowUnencrypted: false,
      trust,
    });
    expect(discovery).toBeUndefined(); // a port was given: exactly one attempt, nothing to discover
    expect(result.connected).toBe(true);
    if (!result.connected) return;
    expect(result.winner.path).toBe(`TCP+STARTTLS xmpp://localhost:${server.port} via direct`);
    await result.connection.client.authenticate({ username: 'alice', password: 'secret' });
    expect(result.connection.client.jid).toBe('alice@localhost/burrow');
  });

  it('says what it assumed of a host:port when the server there does not speak the transport it chose', async () => {
    server = await startFakeXmppServer({ mode: 'direct-tls' });
    const { result } = await connect({ address: `localhost:${server.port}`, method: 'automatic', allowUnencrypted: false, trust });
    expect(result.connected).toBe(false);
    const cause = result.attempts[0]?.cause;
    expect(cause).toMatchObject({ assumed: { because: 'any-other-port', target: `localhost:${server.port}` } });
    expect(cause && attemptCauseWords(cause)).toBe(
      `the connection to localhost:${server.port} was cut (reset) before XMPP started; ` +
        `Burrow assumed TCP with STARTTLS, as for any port but 5223 and 443 — give xmpps://localhost:${server.port} to use direct TLS`,
    );
  });

  it('races the default paths at once, and the server\'s own endpoints once discovery finds them', async () => {
    server = await startFakeXmppServer({ mode: 'direct-tls' });
    const port = server.port;
    const events: AttemptEvent[] = [];
    const { result, discovery } = await connect({
      address: 'localhost',
      method: 'automatic',
      allowUnencrypted: false,
      trust,
      onEvent: (event) => events.push(event),
      discovery: {
        resolveSrv: (name) => after(150, name.startsWith('_xmpps-client') ? [{ name: 'localhost', port, priority: 0, weight: 0 }] : []),
        fetchText: noHostMeta,
      },
    });
    expect(events[0]).toMatchObject({ type: 'started', record: { path: 'direct TLS xmpps://localhost:5223 via direct' } });
    expect(events[0]?.atMs).toBeLessThan(100);
    expect(discovery?.srv).toHaveLength(1);
    expect(result.connected && result.winner.path).toBe(`direct TLS xmpps://localhost:${port} via direct`);
    expect(result.connected && result.winner.candidate.endpoint.source).toBe('srv');
  });

  it('when every planned path fails, waits for discovery, and reports what it could not look up', async () => {
    const { result, discovery } = await connect({
      address: 'localhost',
      method: 'automatic',
      allowUnencrypted: false,
      trust,
      deadlineMs: 400, // discovery gets half of it
      discovery: { resolveSrv: () => after(0, []), fetchText: () => new Promise(() => {}) },
    });
    expect(result.connected).toBe(false);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(190);
    expect(discovery?.problems).toEqual(['https://localhost/.well-known/host-meta: no answer from https://localhost/.well-known/host-meta within 200 ms']);
  });

  it('remembers the winner for the network, tries it first next time, and forgets it when it fails', async () => {
    server = await startFakeXmppServer({ mode: 'direct-tls' });
    const port = server.port;
    const winners = new WinnerMemory(memoryWinnerStore());
    const memory = { winners, community: 'work', network: 'office' };
    const srvOnly = {
      resolveSrv: async (name: string) => (name.startsWith('_xmpps-client') ? [{ name: 'localhost', port, priority: 0, weight: 0 }] : []),
      fetchText: noHostMeta,
    };
    const request = { address: 'localhost', method: 'automatic' as const, allowUnencrypted: false, trust, memory, discovery: srvOnly };

    const cold = await connect(request);
    expect(cold.result.connected).toBe(true);
    expect(winners.recall('work', 'office')?.endpoint.port).toBe(port);

    const warm = await connect(request);
    expect(warm.result.connected && warm.result.winner.attempt).toBe(0);

    await stopConnections();
    await server.close();
    server = undefined;
    const failed = await connect({ ...request, deadlineMs: 2000 });
    expect(failed.result.connected).toBe(false);
    expect(winners.recall('work', 'office')).toBeUndefined();
  });

  it('still discovers behind a remembered winner that stopped working, and plans the server\'s remembered endpoints before discovery answers', async () => {
    server = await startFakeXmppServer({ mode: 'direct-tls' });
    const winners = new WinnerMemory(memoryWinnerStore());
    let srvPort = server.port;
    let srvDelayMs: number | 'never' = 0;
    const srvAnswer = (records: { name: string; port: number; priority: number; weight: number }[]) =>
      srvDelayMs === 'never' ? new Promise<never>(() => {}) : after(srvDelayMs, records);
    const discovery = {
      resolveSrv: (name: string) => srvAnswer(name.startsWith('_xmpps-client') ? [{ name: 'localhost', port: srvPort, priority: 0, weight: 0 }] : []),
      fetchText: noHostMeta,
    };
    const request = { address: 'localhost', method: 'automatic' as const, allowUnencrypted: false, trust, discovery };
    expect((await connect({ ...request, memory: { winners, community: 'work', network: 'office' } })).result.connected).toBe(true);

    // The server moves to another port: the remembered winner is refused, discovery finds the new one.
    await stopConnections();
    await server.close();
    server = await startFakeXmppServer({ mode: 'direct-tls' });
    srvPort = server.port;
    srvDelayMs = 150;
    const moved = await connect({ ...request, memory: { winners, community: 'work', network: 'office' } });
    expect(moved.result.connected && moved.result.winner.candidate.endpoint).toMatchObject({ port: srvPort, source: 'srv' });

    // On a network with no winner yet, and DNS not answering at all, the server's remembered endpoint goes first.
    srvDelayMs = 'never';
    const elsewhere = await connect({ ...request, memory: { winners, community: 'work', network: 'hotel' } });
    expect(elsewhere.result.connected && elsewhere.result.winner).toMatchObject({ attempt: 0, candidate: { endpoint: { port: srvPort, source: 'srv' } } });
  });

  describe('with a wrong proxy password', () => {
    const request = (port: number, allowUnencrypted: boolean) => ({
      address: 'chat.lab.test',
      method: 'proxy' as const,
      proxy: { type: 'http' as const, host: '127.0.0.1', port, username: 'alice', password: 'wrong', resolveThroughProxy: true },
      allowUnencrypted,
      trust,
      discovery: { resolveSrv: async () => [] },
    });

    it.each([false, true])('tries it once in a whole race, every path and host-meta included (unencrypted allowed: %s)', async (allowUnencrypted) => {
      const proxy = await startFakeHttpProxy({ offers: ['Basic realm="corp"'], user: { username: 'alice', password: 's3cret' } });
      try {
        const { result } = await connect(request(proxy.port, allowUnencrypted));
        expect(result.connected).toBe(false);
        expect(proxy.logins()).toHaveLength(1);
        if (result.connected) return;
        const planned = result.attempts.filter((attempt) => !attempt.excluded);
        expect(planned.every(({ cause }) => cause?.kind === 'proxy-authentication' && cause.proxyLogin?.tried === 'basic')).toBe(true);
      } finally {
        await closeServer(proxy.server);
      }
    });

    it('probes the paths the plan leaves out without the credentials, and not at all once the proxy has asked for them', async () => {
      const proxy = await startFakeHttpProxy({ offers: ['Basic realm="corp"'], user: { username: 'alice', password: 's3cret' } });
      try {
        const { result } = await connect(request(proxy.port, false));
        expect(proxy.requests.map(({ requestLine }) => requestLine)).toEqual(['CONNECT chat.lab.test:443 HTTP/1.1', 'CONNECT chat.lab.test:443 HTTP/1.1']);
        if (result.connected) return;
        const probes = result.attempts.filter((attempt) => attempt.excluded).map(({ cause }) => (cause?.kind === 'proxy-authentication' ? cause.proxyLogin : undefined));
        expect(probes).toEqual([
          { status: 407, offered: ['basic'], credentials: 'withheld' },
          { status: 407, offered: ['basic'], credentials: 'withheld' },
        ]);
      } finally {
        await closeServer(proxy.server);
      }
    });
  });

  describe("with the system's network stack (Electron's Chromium)", () => {
    const request = (trust: Parameters<typeof connectToCommunity>[0]['trust']) => ({
      address: 'https://chat.lab.test:443/http-bind',
      method: 'system-proxy' as const,
      systemProxy: { resolve: () => Promise.resolve('DIRECT') },
      systemNetworkStack: new FakeHttpStack(),
      allowUnencrypted: false,
      discovery: false as const,
      deadlineMs: 1000,
      ...(trust ? { trust } : {}),
    });

    it('connects over it, and the attempt names it', async () => {
      const { result } = await connect(request(undefined));
      expect(result.connected).toBe(true);
      expect(result.attempts.map(({ path }) => path)).toEqual(["BOSH https://chat.lab.test:443/http-bind via system proxy on the system's network stack"]);
    });

    it("keeps to Burrow's own stack where Burrow's trust adds to the system's: an administrator's CA, a certificate the user trusted", async () => {
      for (const trust of [{ extraCas: [testCertificate] }, { trustedFingerprints: ['AB:CD'] }]) {
        const { plan } = await connect(request(trust));
        expect(plan.candidates.map(({ route }) => route)).toEqual([{ kind: 'system' }]);
      }
    });
  });
});
