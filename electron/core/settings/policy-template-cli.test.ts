import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cliFolder = path.resolve(import.meta.dirname, '../../../dist/electron/core/settings');
let out: string;
beforeAll(async () => {
  out = await mkdtemp(path.join(os.tmpdir(), 'burrow-policy-templates-'));
});
afterAll(() => rm(out, { recursive: true, force: true }));

const run = (cli: string, ...args: string[]) => promisify(execFile)(process.execPath, [path.join(cliFolder, cli), ...args]);

describe('the template commands', () => {
  it('npm run policy:admx -- --out DIR writes Burrow.admx and en-US/Burrow.adml', async () => {
    await run('policy-admx-cli.js', '--out', out);
    expect(await readFile(path.join(out, 'Burrow.admx'), 'utf8')).toContain('<policyDefinitions');
    expect(await readFile(path.join(out, 'en-US', 'Burrow.adml'), 'utf8')).toContain('<policyDefinitionResources');
  });

  it('npm run policy:mobileconfig -- --out DIR --policy FILE checks the policy first, naming its field', async () => {
    const bad = path.join(out, 'bad.json');
    await writeFile(bad, JSON.stringify({ locked: { connection: { method: 'carrier-pigeon' } } }));
    await expect(run('policy-mobileconfig-cli.js', '--out', out, '--policy', bad)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('locked.connection.method') });
    await run('policy-mobileconfig-cli.js', '--out', out, '--policy', path.resolve(import.meta.dirname, '../../../assets/policy.example.json'));
    expect(await readFile(path.join(out, 'Burrow.mobileconfig'), 'utf8')).toContain('<string>example-corp</string>');
  });

  it('say how they are used when --out is missing', async () => {
    await expect(run('policy-admx-cli.js')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('Usage: npm run policy:admx -- --out DIR') });
  });
});
