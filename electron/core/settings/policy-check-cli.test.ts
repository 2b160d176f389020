import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const projectRoot = path.resolve(import.meta.dirname, '../../..');
const cli = path.join(projectRoot, 'dist/electron/core/settings/policy-check-cli.js');
let dir: string;

async function policyCheck(...files: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...files]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'burrow-policy-check-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('npm run policy:check', () => {
  it('accepts the example policy shipped in assets/ and says what it locks', async () => {
    const result = await policyCheck(path.join(projectRoot, 'assets/policy.example.json'));
    expect(result).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('valid policy version 2 — 1 community — locked: method, allowUnencrypted — locked communities: example-corp (hostServer, port, xmppDomain)'),
    });
  });

  it('names the desktop settings a policy locks', async () => {
    const desktop = path.join(dir, 'desktop.json');
    await writeFile(desktop, JSON.stringify({ version: 2, locked: { desktop: { startAtLogin: true, awayAfterMinutes: 30 } } }));
    expect(await policyCheck(desktop)).toMatchObject({ code: 0, stdout: expect.stringContaining('locked: desktop.startAtLogin, desktop.awayAfterMinutes') });
  });

  it('accepts a version 1 policy, which has no version', async () => {
    const v1 = path.join(dir, 'v1.json');
    await writeFile(v1, JSON.stringify({ communities: [{ id: 'corp', displayName: 'Corp', hostServer: 'chat.corp.example' }], locked: { connection: { deadlineMs: 9000 } } }));
    expect(await policyCheck(v1)).toMatchObject({ code: 0, stdout: `${v1}: valid policy version 1 — 1 community — locked: deadlineMs\n` });
  });

  it('names the file and the field of a version 1 policy that uses version 2 keys', async () => {
    const mixed = path.join(dir, 'mixed.json');
    await writeFile(mixed, JSON.stringify({ communities: [{ id: 'corp', displayName: 'Corp', hostServer: 'chat.corp.example', locked: true }] }));
    const result = await policyCheck(mixed);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`The administrator policy ${mixed} is invalid:\ncommunities[0].locked: is a policy version 2 key; add "version": 2`);
  });

  it('names the file, the field and the reason of an invalid policy, and exits 1', async () => {
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ locked: { connection: { attemptDelayMs: -5, method: 'carrier-pigeon' } } }));
    const result = await policyCheck(bad);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(bad);
    expect(result.stderr).toContain('locked.connection.attemptDelayMs: must be 0 ms or more');
    expect(result.stderr).toMatch(/locked\.connection\.method: /);
  });

  it('fails on a missing file and on malformed JSON', async () => {
    const malformed = path.join(dir, 'malformed.json');
    await writeFile(malformed, '{ "communities": [');
    const result = await policyCheck(path.join(dir, 'absent.json'), malformed);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('absent.json is invalid:\ndoes not exist');
    expect(result.stderr).toContain('is not valid JSON');
  });
});
