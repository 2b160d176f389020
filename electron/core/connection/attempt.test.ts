import net from 'node:net';

import { afterEach, describe, expect, it, vi } from 'vitest';

import { attemptCauseWords } from '../../contract/attempt-words.js';
import { parseCommunityAddress } from './address.js';
import { xmppAttempt } from './attempt.js';
import type { XmppPath } from './attempt.js';
import type { AttemptStages } from './race.js';
import { describeFailure } from './causes.js';
import { planCandidates } from './plan.js';
import { startFakeXmppServer, testCertificate } from './testing/fake-xmpp-server.js';
import type { FakeXmppServer } from './testing/fake-xmpp-server.js';
import { fingerprintOf } from './testing/certificate-fixtures.js';
import { FakeHttpStack } from './testing/fake-http-stack.js';
import { closeServer, listenLocally } from './testing/tcp-servers.js';

function candidateFor(address: string) {
  const [candidate] = planCandidates({ address: parseCommunityAddress(address), method: 'automatic', allowUnencrypted: false }).candidates;
  if (!candidate) throw new Error(`no candidate for ${address}`);
  return candidate;
}

const trustTestCa = { extraCas: [testCertificate] };

describe('xmppAttempt against a fake XMPP server', () => {
  let server: FakeXmppServer | undefined;
  let path: XmppPath | undefined;

  /** The attempt over direct TLS to the fake server, as the race's winner. */
  const winDirectTls = ({ port }: FakeXmppServer) =>
    xmppAttempt({ domain: 'localhost', trust: trustTestCa, resource: 'burrow' })(candidateFor(`xmpps://localhost:${port}`), new AbortController().signal);

  afterEach(async () => {
    await path?.client.stop();
    path = undefined;
    await server?.close();
  });

  it('stops at the stream features over direct TLS, before any authentication', async () => {
    server = await startFakeXmppServer({ mode: 'direct-tls' });
    const attempt = xmppAttempt({ domain: 'localhost', trust: trustTestCa });
    path = await attempt(candidateFor(`xmpps://localhost:${server.port}`), new AbortController().signal);
    expect(path.secure).toBe(true);
    expect(server.received).not.toContain('auth');
  });

  it('authenticates and binds once the race says so', async () => {
    server = await startFakeXmppServer({ mode: 'direct-tls' });
    path = await winDirectTls(server);
    const { mechanism } = await path.client.authenticate({ username: 'alice', password: 'secret' });
    expect(path.client.jid).toBe('alice@localhost/burrow');
    expect(mechanism).toBe('PLAIN');
    expect(server.received).toContain('auth');
  });

  it('signs in with SCRAM-SHA-256 where offered, once the server has proved it knows the account', async () => {
    server = await startFakeXmppServer({ mode: 'direct-tls', scram: { password: 'secret', proves: 'right' } });
    path = await winDirectTls(server);
    const { mechanism } = await path.client.authenticate({ username: 'alice', password: 'secret' });
    expect(mechanism).toBe('SCRAM-SHA-256');
    expect(server.received).toContain('bind');
  });

  it('does not go online with a server that says "success" without proving it knows the account', async () => {
    server = await startFakeXmppServer({ mode: 'direct-tls', scram: { password: 'secret', proves: 'wrong' } });
    path = await winDirectTls(server);
    await expect(path.client.authenticate({ username: 'alice', password: 'secret' })).rejects.toThrow('could not prove it knows the account');
    expect(server.received).not.toContain('bind');
  });

  it('upgrades with STARTTLS and wins only on the features that follow', async () => {
    server = await startFakeXmppServer({ mode: 'starttls' });
    path = await xmppAttempt({ domain: 'localhost', trust: trustTestCa })(
      candidateFor(`xmpp://localhost:${server.port}`),
      new AbortController().signal,
    );
    expect(path.secure).toBe(true);
    expect(server.received.filter((name) => name === 'stream:stream')).toHaveLength(2);
  });

  it('reports features that came without encryption as such, so the race can refuse them', async () => {
    server = await startFakeXmppServer({ mode: 'plaintext-only' });
    path = await xmppAttempt({ domain: 'localhost', trust: trustTestCa })(
      candidateFor(`xmpp://localhost:${server.port}`),
      new AbortController().signal,
    );
    expect(path.secure).toBe(false);
  });

  it('never signs in with PLAIN where the path is unencrypted, even where such a path is allowed', async () => {
    server = await startFakeXmppServer({ mode: 'plaintext-only' });
    path = await xmppAttempt({ domain: 'localhost', trust: trustTestCa })(
      candidateFor(`xmpp://localhost:${server.port}`),
      new AbortController().signal,
    );
    await expect(path.client.authenticate({ username: 'alice', password: 'secret' }, { timeoutMs: 2_000 })).rejects.toThrow(
      'the server offers only PLAIN sign-in, which would send the password readable over this unencrypted path',
    );
    expect(server.received).not.toContain('auth');
  });

  it('fails on a certificate for another name, with the certificate in the cause', async () => {
    server = await startFakeXmppServer({ mode: 'direct-tls' });
    const attempt = xmppAttempt({ domain: 'chat.lab.test', trust: trustTestCa });
    const error = await attempt(candidateFor(`xmpps://localhost:${server.port}`), new AbortController().signal).catch(
      (caught: unknown) => caught,
    );
    const cause = describeFailure(error, { host: 'chat.lab.test', port: server.port });
    expect(cause.kind).toBe('certificate');
    expect(attemptCauseWords(cause)).toMatch(
      /^the certificate of chat\.lab\.test is for localhost, 127\.0\.0\.1 \(issued by CN=localhost, O=Burrow test fixture, SHA-256 fingerprint [0-9A-F:]{95}\)$/,
    );
  });

  it('sends no XMPP after STARTTLS to a server whose certificate it refuses', async () => {
    server = await startFakeXmppServer({ mode: 'starttls' });
    const error = await xmppAttempt({ domain: 'localhost' })(candidateFor(`xmpp://localhost:${server.port}`), new AbortController().signal).catch(
      (caught: unknown) => caught,
    );
    expect(describeFailure(error, { host: 'localhost', port: server.port })).toMatchObject({ certificate: { problems: ['self-signed'] } });
    expect(server.received).toEqual(['stream:stream', 'starttls']);
  });

  it('signs in over STARTTLS to a self-signed server whose certificate the user trusts', async () => {
    server = await startFakeXmppServer({ mode: 'starttls' });
    path = await xmppAttempt({ domain: 'localhost', trust: { trustedFingerprints: [fingerprintOf(testCertificate)] } })(
      candidateFor(`xmpp://localhost:${server.port}`),
      new AbortController().signal,
    );
    expect(path.secure).toBe(true);
  });

  it('never trusts a certificate it was not told to trust', async () => {
    server = await startFakeXmppServer({ mode: 'direct-tls' });
    const error = await xmppAttempt({ domain: 'localhost' })(
      candidateFor(`xmpps://localhost:${server.port}`),
      new AbortController().signal,
    ).catch((caught: unknown) => caught);
    expect(describeFailure(error, { host: 'localhost', port: server.port }).kind).toBe('certificate');
  });

  it('gives up at once when the race cancels it', async () => {
    server = await startFakeXmppServer({ mode: 'direct-tls' });
    const controller = new AbortController();
    const attempt = xmppAttempt({ domain: 'localhost', trust: trustTestCa })(candidateFor(`xmpps://localhost:${server.port}`), controller.signal);
    controller.abort(new Error('another path won'));
    await expect(attempt).rejects.toThrow('another path won');
  });

  it('fails with "no answer" when a server accepts the connection and then says nothing', async () => {
    const sockets: net.Socket[] = [];
    // It reads (so that it sees the client go) but never answers.
    const silent = net.createServer((socket) => void sockets.push(socket.on('error', () => {}).resume()));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      const attempt = xmppAttempt({ domain: 'localhost', trust: trustTestCa, negotiateTimeoutMs: 200 });
      const error = await attempt(candidateFor(`xmpps://127.0.0.1:${port}`), new AbortController().signal).catch((caught: unknown) => caught);
      expect(describeFailure(error, { host: '127.0.0.1', port })).toMatchObject({ kind: 'no-answer', withinMs: 200 });
      await expect.poll(() => sockets.every((socket) => socket.destroyed), { timeout: 2_000 }).toBe(true);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it.each([
    ['text', 'garbage, not XMPP'],
    ['binary', Buffer.of(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46)],
  ])('fails at once with malformed XML when a server sends %s after its stream header, instead of running out its time', async (_, garbage) => {
    const header = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='x' from='localhost' version='1.0'>";
    const garbled = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.once('data', () => socket.write(Buffer.concat([Buffer.from(header), Buffer.from(garbage)])));
    });
    const port = await listenLocally(garbled);
    try {
      const startedAt = performance.now();
      const attempt = xmppAttempt({ domain: 'localhost', negotiateTimeoutMs: 10_000 });
      const error = await attempt(candidateFor(`xmpp://127.0.0.1:${port}`), new AbortController().signal).catch((caught: unknown) => caught);
      expect(describeFailure(error, { host: '127.0.0.1', port })).toEqual({ kind: 'malformed-xml', target: `127.0.0.1:${port}`, detail: 'text between its stanzas' });
      expect(performance.now() - startedAt).toBeLessThan(1_000);
    } finally {
      await closeServer(garbled);
    }
  });

  describe('its two stages', () => {
    /** Stages the test releases by hand; `reached` settles when the attempt reports its route open. */
    function heldStages(signal: AbortSignal) {
      let release = () => {};
      let onReached = () => {};
      const reached = new Promise<void>((resolve) => (onReached = resolve));
      const secured: number[] = [];
      const stages: AttemptStages = {
        secured: () => secured.push(Date.now()),
        reached: () => {
          onReached();
          return new Promise((resolve, reject) => {
            release = resolve;
            signal.addEventListener('abort', () => reject(signal.reason), { once: true });
          });
        },
      };
      return { stages, reached, secured, release: () => release() };
    }

    it('opens the route, then waits for the race before any TLS or XMPP', async () => {
      server = await startFakeXmppServer({ mode: 'starttls' });
      const controller = new AbortController();
      const held = heldStages(controller.signal);
      const pending = xmppAttempt({ domain: 'localhost', trust: trustTestCa })(
        candidateFor(`xmpp://localhost:${server.port}`),
        controller.signal,
        held.stages,
      );
      await held.reached;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.received).toEqual([]);
      held.release();
      path = await pending;
      expect(path.secure).toBe(true);
      // Once, when STARTTLS had upgraded the stream: the timeline's TLS phase ends there.
      expect(held.secured).toHaveLength(1);
      expect(server.received).toContain('starttls');
    });

    it('closes the open route socket when the race cancels it while it waits', async () => {
      const closed: Promise<void>[] = [];
      const listener = net.createServer((socket) => {
        closed.push(new Promise((resolve) => socket.on('close', () => resolve())));
        socket.on('error', () => {});
      });
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      const { port } = listener.address() as net.AddressInfo;
      try {
        const controller = new AbortController();
        const held = heldStages(controller.signal);
        const pending = xmppAttempt({ domain: 'localhost', trust: trustTestCa })(
          candidateFor(`xmpps://127.0.0.1:${port}`),
          controller.signal,
          held.stages,
        );
        await held.reached;
        controller.abort(new Error('another path won'));
        await expect(pending).rejects.toThrow('another path won');
        expect(closed).toHaveLength(1);
        await closed[0];
      } finally {
        await new Promise((resolve) => listener.close(resolve));
      }
    });

    it('fails with the reset, and only the attempt, when the server resets the route while it waits (a server restarting)', async () => {
      const accepted: net.Socket[] = [];
      const listener = net.createServer((socket) => accepted.push(socket));
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      const { port } = listener.address() as net.AddressInfo;
      try {
        const controller = new AbortController();
        const held = heldStages(controller.signal);
        const pending = xmppAttempt({ domain: 'localhost', trust: trustTestCa })(candidateFor(`xmpp://127.0.0.1:${port}`), controller.signal, held.stages);
        await held.reached;
        // The reset comes while the race holds the attempt back; nothing in the process may be left to hear it alone.
        await vi.waitFor(() => expect(accepted).toHaveLength(1));
        accepted[0]!.resetAndDestroy();
        await new Promise((resolve) => setTimeout(resolve, 100));
        held.release();
        await expect(pending).rejects.toMatchObject({ code: 'ECONNRESET' });
      } finally {
        await new Promise((resolve) => listener.close(resolve));
      }
    });

    it.each(['xmpps://127.0.0.1:PORT', 'wss://127.0.0.1:PORT/ws'])('fails at once over %s when the server closed the route while it waited', async (address) => {
      const listener = net.createServer((socket) => socket.destroy());
      await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
      const { port } = listener.address() as net.AddressInfo;
      try {
        const controller = new AbortController();
        const held = heldStages(controller.signal);
        const pending = xmppAttempt({ domain: 'localhost', trust: trustTestCa, negotiateTimeoutMs: 60_000 })(
          candidateFor(address.replace('PORT', String(port))),
          controller.signal,
          held.stages,
        );
        await held.reached;
        // Usually the close has come by now and the handshake never begins; if not, the handshake hears it. Either way: no 60 s wait.
        await new Promise((resolve) => setTimeout(resolve, 100));
        held.release();
        await expect(pending).rejects.toBeInstanceOf(Error);
      } finally {
        await new Promise((resolve) => listener.close(resolve));
      }
    });
  });
});

describe("xmppAttempt on the system's network stack", () => {
  const systemProxyPlan = (address: string, systemNetworkStack: boolean) =>
    planCandidates({ address: parseCommunityAddress(address), method: 'system-proxy', allowUnencrypted: false, systemNetworkStack }).candidates;

  it('carries a BOSH candidate the plan put on the system stack over the injected stack, without opening a route of its own', async () => {
    const stack = new FakeHttpStack();
    const systemProxy = { resolve: vi.fn(() => Promise.resolve('DIRECT')) };
    const [candidate] = systemProxyPlan('https://chat.lab.test/http-bind', true);
    if (!candidate) throw new Error('no candidate');
    const path = await xmppAttempt({ domain: 'lab.test', systemProxy, systemNetworkStack: stack })(candidate, new AbortController().signal);
    expect(path.secure).toBe(true);
    expect(stack.posts[0]?.url.href).toBe('https://chat.lab.test/http-bind');
    expect(systemProxy.resolve).not.toHaveBeenCalled();
    await path.client.stop();
  });

  it("goes Burrow's own way, through the system proxy it looks up, when the plan did not put it on the system stack", async () => {
    const stack = new FakeHttpStack();
    const server = net.createServer((socket) => socket.destroy());
    const port = await listenLocally(server);
    const connected = new Promise((resolve) => server.once('connection', resolve));
    const systemProxy = { resolve: vi.fn(() => Promise.resolve('DIRECT')) };
    const [candidate] = systemProxyPlan(`https://127.0.0.1:${port}/http-bind`, false);
    if (!candidate) throw new Error('no candidate');
    try {
      await expect(xmppAttempt({ domain: 'lab.test', systemProxy, systemNetworkStack: stack })(candidate, new AbortController().signal)).rejects.toThrow();
      await connected;
      expect(systemProxy.resolve).toHaveBeenCalled();
      expect(stack.posts).toEqual([]);
    } finally {
      await closeServer(server);
    }
  });

  it('fails, instead of going another way, where the plan asks for a system stack there is not', async () => {
    const [candidate] = systemProxyPlan('https://chat.lab.test/http-bind', true);
    if (!candidate) throw new Error('no candidate');
    const attempt = xmppAttempt({ domain: 'lab.test', systemProxy: { resolve: () => Promise.resolve('DIRECT') } });
    await expect(attempt(candidate, new AbortController().signal)).rejects.toThrow("the system's network stack is not available here");
  });
});
