import { once } from 'node:events';
import tls from 'node:tls';

import { afterEach, describe, expect, it } from 'vitest';

import { testCertificate } from '../connection/testing/fake-xmpp-server.js';
import { UnsafeSignInError } from './errors.js';
import { eventLoopStall } from './testing/event-loop.js';
import { SCRIPTED_PASSWORD, startScriptedServer } from './testing/scripted-server.js';
import type { ScriptedServer } from './testing/scripted-server.js';
import { XmppStream } from './xmpp-stream.js';

const credentials = { username: 'alice', password: SCRIPTED_PASSWORD };
let server: ScriptedServer | undefined;
let stream: XmppStream | undefined;

afterEach(async () => {
  stream?.drop();
  await server?.close();
});

/** A stream at the features of a server on loopback that asks for this many SCRAM iterations. */
async function streamToServerAsking(scramIterations: number) {
  server = await startScriptedServer({ scramIterations });
  const socket = tls.connect({ host: '127.0.0.1', port: server.port, servername: 'localhost', ca: testCertificate });
  await once(socket, 'secureConnect');
  stream = await XmppStream.open(socket, { domain: 'localhost' });
  return { stream, connection: await server.connection() };
}

describe('SCRAM sign-in against a server on loopback', () => {
  it('signs in when the server asks for 4096 iterations, and checks its proof', async () => {
    const { stream } = await streamToServerAsking(4096);
    await expect(stream.authenticate(credentials)).resolves.toBeDefined();
  });

  it('refuses a hostile server asking for 20,000,000 iterations at once, with the cause, and sends it no proof', async () => {
    const { stream, connection } = await streamToServerAsking(20_000_000);
    let failure: unknown;
    const { tookMs } = await eventLoopStall(() => stream.authenticate(credentials).catch((error: unknown) => (failure = error)));
    expect(failure).toBeInstanceOf(UnsafeSignInError);
    expect(failure).toHaveProperty('message', expect.stringMatching(/asked for 20,000,000 SCRAM iterations, more than the 1,000,000 Burrow computes/));
    expect(tookMs).toBeLessThan(1000);
    expect(connection.received.map((element) => element.name)).not.toContain('response');
  });

  it('keeps the event loop turning while it derives the key for 1,000,000 iterations', async () => {
    const { stream } = await streamToServerAsking(1_000_000);
    const { longestStallMs, tookMs } = await eventLoopStall(() => stream.authenticate(credentials));
    // Computed on the event loop, the derivation would be one stall as long as most of the sign-in.
    expect(longestStallMs).toBeLessThan(tookMs / 4);
  });
});
