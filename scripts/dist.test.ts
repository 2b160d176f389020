import { listPackage } from '@electron/asar';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const projectRoot = path.resolve(import.meta.dirname, '..');
const examplePolicy = path.join(projectRoot, 'assets/policy.example.json');
const updateUrl = 'https://updates.example.com/burrow';

// @electron/fuses finds the fuse wire after this sentinel: version 1, 8 fuses, Electron's defaults.
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ELECTRON_DEFAULT_FUSES = '10110001';
const fuseNames = ['runAsNode', 'cookieEncryption', 'nodeOptions', 'nodeCliInspect', 'asarIntegrity', 'onlyLoadAppFromAsar', 'v8Snapshot', 'fileProtocolPrivileges'];

let workDir: string;
let appDir: string;

/**
 * The Electron binary cannot be downloaded here, so the unpacked build uses a stand-in
 * distribution with a real fuse wire: the test can check what was packaged and how the
 * fuses were set. Wherever Electron is available, the same config builds real installers.
 */
async function createStandInElectron(dir: string): Promise<void> {
  const binary = path.join(dir, 'electron');
  await writeFile(binary, `#!/bin/sh\necho "Electron stand-in"\nexit 0\n# ${FUSE_SENTINEL}\u0001\u0008${ELECTRON_DEFAULT_FUSES}\n`, 'latin1');
  await chmod(binary, 0o755);
}

function fusesOf(binary: Buffer): Record<string, string> {
  const wire = binary.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
  return Object.fromEntries(fuseNames.map((name, index) => [name, String.fromCharCode(binary[wire + 2 + index]!)]));
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'burrow-dist-'));
  const standIn = path.join(workDir, 'electron-dist');
  await mkdir(standIn);
  await createStandInElectron(standIn);
  const { version: electronVersion } = JSON.parse(await readFile(path.join(projectRoot, 'node_modules/electron/package.json'), 'utf8')) as { version: string };
  await promisify(execFile)(
    process.execPath,
    ['scripts/dist.mjs', '--dir', '--linux', '--policy', examplePolicy, '--update-url', updateUrl, `-c.electronDist=${standIn}`, `-c.electronVersion=${electronVersion}`, `-c.directories.output=${path.join(workDir, 'out')}`],
    { cwd: projectRoot, env: { ...process.env, CI: 'true' }, timeout: 120_000 },
  );
  appDir = path.join(workDir, 'out', 'linux-unpacked');
}, 150_000);

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe.runIf(process.platform === 'linux')('the unpacked build (npm run dist:dir -- --policy FILE)', () => {
  it('packs main, preload and renderer into app.asar, and no tests, lab or sources', () => {
    const files = listPackage(path.join(appDir, 'resources', 'app.asar'), { isPack: false }).map((file) => file.split(path.sep).join('/'));
    expect(files).toEqual(
      expect.arrayContaining([
        '/package.json',
        '/dist/electron/main/main.js',
        '/dist/preload/preload.cjs',
        '/dist/renderer/index.html',
        '/dist/electron/core/index.js',
        // The history's SQLite, read with fs from inside the asar.
        '/node_modules/node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm',
      ]),
    );
    expect(files.filter((file) => /\.test\.|\/lab\/|\.ts$|\/e2e\//.test(file) && !file.includes('/node_modules/'))).toEqual([]);
  });

  it('ships the administrator policy in its resources', async () => {
    expect(await readFile(path.join(appDir, 'resources', 'policy.json'), 'utf8')).toBe(await readFile(examplePolicy, 'utf8'));
  });

  it('names the update server given with --update-url, for electron-updater', async () => {
    const updateConfig = await readFile(path.join(appDir, 'resources', 'app-update.yml'), 'utf8');
    expect(updateConfig).toContain('provider: generic');
    expect(updateConfig).toContain(`url: ${updateUrl}`);
  });

  it('hardens the binary with Electron fuses', async () => {
    const binary = path.join(appDir, 'burrow');
    expect(existsSync(binary)).toBe(true);
    expect(fusesOf(await readFile(binary))).toMatchObject({
      runAsNode: '0',
      cookieEncryption: '1',
      nodeOptions: '0',
      nodeCliInspect: '0',
      asarIntegrity: '1',
      onlyLoadAppFromAsar: '1',
    });
  });
});

describe('npm run dist with an update server over plain HTTP', () => {
  it('stops before packaging: an update is code Burrow runs next', async () => {
    const failure = await promisify(execFile)(process.execPath, ['scripts/dist.mjs', '--dir', '--update-url', 'http://updates.example.com/burrow'], { cwd: projectRoot }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 2, stderr: expect.stringContaining('--update-url must be an https:// address') });
  });
});

describe('npm run dist with an invalid policy', () => {
  it('stops before packaging and names the bad field', async () => {
    const badPolicy = path.join(workDir, 'bad-policy.json');
    await writeFile(badPolicy, JSON.stringify({ locked: { connection: { method: 'telepathy' } } }));
    const failure = await promisify(execFile)(process.execPath, ['scripts/dist.mjs', '--dir', '--policy', badPolicy], { cwd: projectRoot }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining('locked.connection.method') });
  });
});
