import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsValidationError } from '../../common/settings/issues.js';
import { LockedSettingError } from './locks.js';
import { emptyPolicy } from './policy.js';
import { defaultSettings, SETTINGS_VERSION } from '../../common/settings/schema.js';
import type { Settings } from '../../common/settings/schema.js';
import { MemorySecretStore } from './secrets.js';
import { createPlainConf, openSettingsStore, SETTINGS_FILE_NAME } from './store.js';
import type { CreateConf, SettingsConfOptions } from './store.js';

let folder: string;
let file: string;
const now = () => new Date('2025-03-04T05:06:07.890Z');
const backupName = `${SETTINGS_FILE_NAME}.corrupt-2025-03-04T05-06-07.890Z`;

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'burrow-settings-'));
  file = path.join(folder, SETTINGS_FILE_NAME);
});
afterEach(() => rm(folder, { recursive: true, force: true }));

const open = (secrets = new MemorySecretStore()) => openSettingsStore({ cwd: folder, secrets, now });

const withCommunity: Settings = {
  version: SETTINGS_VERSION,
  connection: { method: 'direct-http' },
  communities: [
    { id: 'corp', displayName: 'Corp chat', hostServer: 'chat.corp.example', username: 'alice', useGlobalConnection: true, connection: {} },
  ],
  trustedCertificates: {},
  desktop: {},
};

describe('a settings folder without a settings file', () => {
  it('starts with default settings and no notice', async () => {
    const store = await open();
    expect(store.read()).toEqual(defaultSettings);
    expect(store.notices).toEqual([]);
    expect(store.path).toBe(file);
  });

  it('keeps what was written for the next start', async () => {
    (await open()).write(withCommunity);
    const reopened = await open();
    expect(reopened.read()).toEqual(withCommunity);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(withCommunity);
  });
});

describe('writing', () => {
  it('refuses an invalid document, naming the field, and leaves the file as it was', async () => {
    const store = await open();
    store.write(withCommunity);
    const bad = { ...withCommunity, connection: { proxy: { port: 0 } } };
    expect(() => store.write(bad)).toThrow(SettingsValidationError);
    expect(() => store.write(bad)).toThrow(/connection\.proxy\.port: must be a whole number from 1 to 65535/);
    expect(store.read()).toEqual(withCommunity);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(withCommunity);
  });

  it('fills in defaults for fields the caller left out', async () => {
    const store = await open();
    expect(store.write({ version: SETTINGS_VERSION })).toEqual(defaultSettings);
  });
});

describe('a settings file that cannot be used', () => {
  async function expectRecovered(original: string, reason: RegExp) {
    const store = await open();
    expect(store.read()).toEqual(defaultSettings);
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]?.level).toBe('warning');
    expect(store.notices[0]?.message).toMatch(reason);
    expect(store.notices[0]?.message).toContain(path.join(folder, backupName));
    expect(await readFile(path.join(folder, backupName), 'utf8')).toBe(original);
    // The fresh file works like any other.
    store.write(withCommunity);
    expect((await open()).read()).toEqual(withCommunity);
  }

  it('is set aside when it is not JSON', async () => {
    await writeFile(file, '{"version": 2, "connection": {');
    await expectRecovered('{"version": 2, "connection": {', /not valid JSON/);
  });

  it('is set aside when its shape is wrong, and the notice names the field', async () => {
    const wrong = JSON.stringify({ version: 2, connection: { method: 'carrier-pigeon' } });
    await writeFile(file, wrong);
    await expectRecovered(wrong, /connection\.method/);
  });

  it('is set aside when a newer Burrow wrote it', async () => {
    const newer = JSON.stringify({ version: SETTINGS_VERSION + 1, connection: {}, communities: [], hologram: true });
    await writeFile(file, newer);
    await expectRecovered(newer, new RegExp(`newer Burrow \\(settings version ${SETTINGS_VERSION + 1}\\)`));
  });

  it('is set aside when it has no version', async () => {
    await writeFile(file, '[]');
    await expectRecovered('[]', /version: must be a settings version number/);
  });

  it('is set aside when it cannot be read at all', async () => {
    await mkdir(file);
    const store = await open();
    expect(store.read()).toEqual(defaultSettings);
    expect(store.notices[0]?.message).toMatch(/could not be read: EISDIR/);
    expect(await readdir(folder)).toContain(backupName);
  });
});

describe('a settings file from an older Burrow', () => {
  it('is migrated in place, and the proxy password it carried moves to the secret store', async () => {
    await writeFile(file, await readFile(new URL('./fixtures/settings-v1.json', import.meta.url), 'utf8'));
    const secrets = new MemorySecretStore();
    const store = await open(secrets);
    expect(store.notices).toEqual([]);
    expect(store.read().version).toBe(SETTINGS_VERSION);
    expect(store.read().connection.proxy).toMatchObject({ type: 'socks5', host: 'proxy.corp.example' });
    expect(await secrets.get('proxy:global:password')).toBe('s3cr@t');
    const onDisk = await readFile(file, 'utf8');
    expect(JSON.parse(onDisk)).toEqual(store.read());
    expect(onDisk).not.toContain('s3cr');
  });
});

describe('the JSON Schema handed to conf / electron-store', () => {
  it('is accepted by conf and enforced on writes that bypass Burrow', async () => {
    const given: SettingsConfOptions[] = [];
    const createConf: CreateConf = (options) => {
      given.push(options);
      return createPlainConf(options);
    };
    (await openSettingsStore({ cwd: folder, secrets: new MemorySecretStore(), createConf })).write(withCommunity);
    const [options] = given;
    if (!options) throw new Error('the store did not open conf');
    const conf = createPlainConf(options);
    expect(conf.store).toEqual(withCommunity);
    expect(() => (conf.store = { ...withCommunity, connection: { attemptDelayMs: -1 } })).toThrow(/schema violation/);
  });
});

describe('administrator locks', () => {
  it('refuse a write that changes a locked value, leaving the file as it was', async () => {
    const policy = { ...emptyPolicy, locked: { method: 'proxy' as const } };
    const store = await openSettingsStore({ cwd: folder, secrets: new MemorySecretStore(), policy });
    expect(() => store.write(withCommunity)).toThrow(LockedSettingError);
    expect(store.read()).toEqual(defaultSettings);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(defaultSettings);
  });
});
