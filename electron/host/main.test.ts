import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const projectRoot = path.resolve(import.meta.dirname, '../..');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'burrow-host-main-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run start:browser', () => {
  it('refuses to start half-configured on an invalid policy, naming the field', async () => {
    const policy = path.join(dir, 'policy.json');
    await writeFile(policy, JSON.stringify({ communities: [{ id: 'corp', displayName: 'Corp', hostServer: 'not a host!' }] }));
    const failure = await promisify(execFile)(
      process.execPath,
      ['dist/electron/host/main.js', '--port', '0', '--data-dir', path.join(dir, 'data'), '--policy', policy],
      { cwd: projectRoot, timeout: 15_000 },
    ).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringMatching(/Burrow did not start: The administrator policy .*policy\.json is invalid:\ncommunities\[0\]\.hostServer: /) });
  });

  it('says what is wrong with a bad --port instead of a stack trace', async () => {
    const failure = await promisify(execFile)(process.execPath, ['dist/electron/host/main.js', '--port', 'eighty'], { cwd: projectRoot, timeout: 15_000 }).catch(
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ code: 2, stderr: 'Invalid --port "eighty": give a number from 0 to 65535 (0 picks a free port).\n' });
  });
});

describe('npm run start:browser prints the address to open', () => {
  it('with this run\'s secret, which opens the page (the e2e suite opens this very line)', async () => {
    const child = spawn(process.execPath, ['dist/electron/host/main.js', '--port', '0', '--data-dir', path.join(dir, 'printed')], { cwd: projectRoot });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const address = /running in browser mode at (\S+)$/.exec(line)?.[1] ?? '';
      expect(address).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?secret=[\w-]{43}$/);
      expect((await fetch(address.replace(/\?.*/, ''))).status).toBe(403);
      const entry = await fetch(address, { redirect: 'manual' });
      const cookie = entry.headers.get('set-cookie')?.split(';')[0] ?? '';
      expect((await fetch(new URL(entry.headers.get('location') ?? '', address), { headers: { cookie } })).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });
});
