import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { dispatch } from '../contract/validate.js';
import { createCore, type Core } from './core.js';
import { MemorySecretStore } from './settings/index.js';
import { SETTINGS_VERSION } from '../common/settings/schema.js';

let dir: string;
let core: Core | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'burrow-data-folder-'));
});
afterEach(async () => {
  await core?.close();
  core = undefined;
  await chmod(dir, 0o755);
  await rm(dir, { recursive: true, force: true });
});

const start = async (dataDir: string) => (core = await createCore({ dataDir, mode: 'browser', version: '1', secrets: new MemorySecretStore(), autoConnect: false }));

/** A folder this process cannot write to: for a user, one without write permission; root writes anywhere but in sysfs. */
async function readOnlyFolder(): Promise<string> {
  if (process.getuid?.() === 0) return '/sys/kernel';
  await chmod(dir, 0o555);
  return dir;
}

describe('a data folder Burrow cannot write to', () => {
  it('is noticed at start, and Burrow starts anyway: a data folder under a file (ENOTDIR)', async () => {
    await writeFile(path.join(dir, 'a-file'), '');
    const dataDir = path.join(dir, 'a-file', 'data');
    const { notices, handlers } = await start(dataDir);
    expect(notices.list()).toEqual([
      expect.objectContaining({ level: 'error', message: expect.stringMatching(new RegExp(`^Burrow cannot write to its data folder ${dataDir} \\(ENOTDIR`)) }),
      expect.objectContaining({ level: 'warning', message: expect.stringMatching(/^Your settings cannot be saved \(ENOTDIR.*changes last until Burrow stops\.$/) }),
    ]);
    const settings = { version: SETTINGS_VERSION, connection: { method: 'direct-http' }, communities: [] };
    expect(await dispatch(handlers, 'settings:save', { settings })).toMatchObject({ ok: true });
    expect(await dispatch(handlers, 'settings:get', undefined)).toMatchObject({ ok: true, value: { settings } });
  });

  it('is noticed at start, and Burrow starts anyway: a read-only folder', async () => {
    const dataDir = await readOnlyFolder();
    const { notices } = await start(dataDir);
    expect(notices.list()[0]).toMatchObject({ level: 'error', message: expect.stringMatching(/^Burrow cannot write to its data folder .* \((EACCES|EROFS|EPERM)/) });
  });

  it('gives no notice when the folder is fine', async () => {
    const { notices } = await start(path.join(dir, 'data'));
    expect(notices.list()).toEqual([]);
  });
});
