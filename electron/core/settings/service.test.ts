import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { secretKeys } from '../../common/settings/secret-keys.js';
import type { SettingsView } from '../../contract/contract.js';
import { dispatch } from '../../contract/validate.js';
import { createCore, type Core } from '../core.js';
import { parsePolicy } from './policy.js';
import { MemorySecretStore } from './secrets.js';
import { SETTINGS_VERSION } from '../../common/settings/schema.js';

let dataDir: string;
let core: Core;
const secrets = new MemorySecretStore();
const policy = parsePolicy({ name: '/etc/burrow/policy.json', policy: { locked: { connection: { method: 'direct-http' } } } });

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'burrow-settings-service-'));
  core = await createCore({ dataDir, mode: 'browser', version: '1.0.0', secrets, policy, autoConnect: false });
});

afterEach(async () => {
  await core.close();
  await rm(dataDir, { recursive: true, force: true });
});

const community = { id: 'lab', displayName: 'Lab', hostServer: 'chat.lab.test', username: 'alice', useGlobalConnection: true, connection: {} };

describe('settings through the contract', () => {
  it('shows each value in effect with its source, and the locked keys', async () => {
    const outcome = await dispatch(core.handlers, 'settings:get', undefined);
    expect(outcome.ok).toBe(true);
    const view = (outcome as { value: SettingsView }).value;
    expect(view.global.method).toEqual({ value: 'direct-http', source: 'admin-locked' });
    expect(view.global.attemptDelayMs).toEqual({ value: 250, source: 'default' });
    expect(view.lockedKeys).toEqual(['method']);
  });

  it('saves settings and passwords, keeps passwords out of the file, and tells every window', async () => {
    const changes: SettingsView[] = [];
    core.events.subscribe((channel, payload) => channel === 'settings:changed' && changes.push(payload as SettingsView));
    const outcome = await dispatch(core.handlers, 'settings:save', {
      settings: { version: SETTINGS_VERSION, connection: { attemptDelayMs: 100 }, communities: [community] },
      passwords: [{ key: secretKeys.communityPassword('lab'), value: 'correct horse battery staple' }],
    });
    expect(outcome).toMatchObject({ ok: true, value: { global: { attemptDelayMs: { value: 100, source: 'user' } }, storedPasswords: ['community:lab:password'] } });
    expect(changes).toHaveLength(1);
    const file = await readFile(path.join(dataDir, 'settings.json'), 'utf8');
    expect(JSON.parse(file)).toMatchObject({ connection: { attemptDelayMs: 100 }, communities: [{ id: 'lab' }] });
    expect(file).not.toContain('correct horse');
    expect(await secrets.get('community:lab:password')).toBe('correct horse battery staple');
  });

  it('refuses a write to a locked setting and changes nothing', async () => {
    const outcome = await dispatch(core.handlers, 'settings:save', { settings: { version: SETTINGS_VERSION, connection: { method: 'proxy', proxy: { host: 'proxy.example' } }, communities: [] } });
    expect(outcome).toEqual({ ok: false, error: { code: 'forbidden', message: 'Set by your administrator and cannot be changed: connection.method' } });
    expect(core.settings.store.read().connection).toEqual({});
  });

  it('refuses invalid settings with an error naming the field', async () => {
    const outcome = await dispatch(core.handlers, 'settings:save', { settings: { version: SETTINGS_VERSION, connection: {}, communities: [{ ...community, port: 70000 }] } });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'invalid-payload', message: expect.stringContaining('communities[0].port: must be a whole number from 1 to 65535') } });
  });
});

describe('a community the administrator locked, through the contract', () => {
  const corp = { id: 'corp', displayName: 'Corp', hostServer: 'chat.corp.example', locked: ['hostServer', 'port'] };
  let lockedCore: Core;

  beforeEach(async () => {
    const lockedPolicy = parsePolicy({ name: '/etc/burrow/policy.json', policy: { version: 2, communities: [corp] } });
    lockedCore = await createCore({ dataDir: path.join(dataDir, 'locked'), mode: 'browser', version: '1.0.0', secrets, policy: lockedPolicy, autoConnect: false });
  });
  afterEach(() => lockedCore.close());

  it('is shown with its locked fields, and as not removable', async () => {
    const outcome = await dispatch(lockedCore.handlers, 'settings:get', undefined);
    expect((outcome as { value: SettingsView }).value.communities).toMatchObject([{ community: { id: 'corp' }, lockedFields: ['hostServer', 'port'], removable: false }]);
  });

  it('refuses a write that re-points it, and keeps the settings as they were', async () => {
    const { locked: _locked, ...fromPolicy } = corp;
    const outcome = await dispatch(lockedCore.handlers, 'settings:save', { settings: { version: SETTINGS_VERSION, connection: {}, communities: [{ ...fromPolicy, hostServer: 'elsewhere.example' }] } });
    expect(outcome).toEqual({ ok: false, error: { code: 'forbidden', message: 'Set by your administrator and cannot be changed: communities[0].hostServer' } });
    expect(lockedCore.settings.store.read().communities).toEqual([]);
  });
});
