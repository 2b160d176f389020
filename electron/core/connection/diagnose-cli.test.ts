import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterEach, describe, expect, it } from 'vitest';

import { startFakeXmppServer } from './testing/fake-xmpp-server.js';
import type { FakeXmppServer } from './testing/fake-xmpp-server.js';

const projectRoot = path.resolve(import.meta.dirname, '../../..');
const cli = path.join(projectRoot, 'dist/electron/core/connection/diagnose-cli.js');
const testCa = path.join(import.meta.dirname, 'testing/fixtures/localhost.cert.pem');

async function diagnose(...args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, ...args]);
    return { code: 0, stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout };
  }
}

describe('npm run diagnose', () => {
  let server: FakeXmppServer | undefined;
  afterEach(() => server?.close());

  it('says in words that the server never answered the sign-in, instead of an empty "AUTHENTICATION FAILED: "', async () => {
    server = await startFakeXmppServer({ mode: 'direct-tls', silentOnSignIn: true });
    const { code, stdout } = await diagnose(`xmpps://127.0.0.1:${server.port}`, '--domain', 'localhost', '--ca', testCa, '--user', 'alice', '--password', 'secret');
    expect(code).toBe(1);
    expect(stdout).toContain('AUTHENTICATION FAILED: The server did not answer the sign-in in time.');
    expect(stdout).not.toMatch(/FAILED: *$/m);
  }, 30_000);
});
