import { afterEach, describe, expect, it } from 'vitest';

import { connectToCommunity } from './connect.js';
import type { ConnectOutcome } from './connect.js';
import { startFakeXmppServer, testCertificate } from './testing/fake-xmpp-server.js';
import type { FakeXmppServer } from './testing/fake-xmpp-server.js';
import { memoryWinnerStore, WinnerMemory } from './winners.js';

const trust = { extraCas: [testCertificate] };

describe('connectToCommunity', () => {
  let server: FakeXmppServer | undefined;
  const outcomes: ConnectOutcome[] = [];

  async function stopConnections() {
    for (const { result } of outcomes.splice(0)) if (result.connected) await result.connection.client.entity.stop().catch(() => {});
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
    expect(result.connection.client.entity.jid?.toString()).toBe('alice@localhost/burrow');
  });

  it('discovers the server\'s endpoints when no port is given', async () => {
    server = await startFakeXmppServer({ mode: 'direct-tls' });
    const port = server.port;
    const { result, discovery } = await connect({
      address: 'localhost',
      method: 'automatic',
      allowUnencrypted: false,
      trust,
      discovery: {
        resolveSrv: async (name) => (name.startsWith('_xmpps-client') ? [{ name: 'localhost', port, priority: 0, weight: 0 }] : []),
        fetchText: () => Promise.reject(Object.assign(new Error('HTTP 404'), { status: 404 })),
      },
    });
    expect(discovery?.srv).toHaveLength(1);
    expect(result.connected && result.winner.path).toBe(`direct TLS xmpps://localhost:${port} via direct`);
  });

  it('remembers the winner for the network, tries it first next time, and forgets it when it fails', async () => {
    server = await startFakeXmppServer({ mode: 'direct-tls' });
    const port = server.port;
    const winners = new WinnerMemory(memoryWinnerStore());
    const memory = { winners, community: 'work', network: 'office' };
    const srvOnly = {
      resolveSrv: async (name: string) => (name.startsWith('_xmpps-client') ? [{ name: 'localhost', port, priority: 0, weight: 0 }] : []),
      fetchText: () => Promise.reject(Object.assign(new Error('HTTP 404'), { status: 404 })),
    };
    const request = { address: 'localhost', method: 'automatic' as const, allowUnencrypted: false, trust, memory, discovery: srvOnly };

    const cold = await connect(request);
    expect(cold.result.connected).toBe(true);
    expect(winners.recall('work', 'office')?.endpoint.port).toBe(port);

    const warm = await connect(request);
    expect(warm.discovery).toBeUndefined();
    expect(warm.result.connected && warm.result.winner.attempt).toBe(0);

    await stopConnections();
    await server.close();
    server = undefined;
    const failed = await connect({ ...request, deadlineMs: 2000 });
    expect(failed.result.connected).toBe(false);
    expect(winners.recall('work', 'office')).toBeUndefined();
  });
});
