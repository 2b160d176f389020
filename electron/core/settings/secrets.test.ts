import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS_VERSION } from '../../common/settings/schema.js';
import { secretKeys } from '../../common/settings/secret-keys.js';
import { MemorySecretStore } from './secrets.js';
import { openSettingsStore } from './store.js';

describe('the in-memory secret store', () => {
  it('gets, replaces and deletes secrets by key', async () => {
    const secrets = new MemorySecretStore();
    expect(await secrets.get(secretKeys.globalProxyPassword)).toBeUndefined();
    await secrets.set(secretKeys.globalProxyPassword, 'first');
    await secrets.set(secretKeys.globalProxyPassword, 'second');
    expect(await secrets.get(secretKeys.globalProxyPassword)).toBe('second');
    await secrets.delete(secretKeys.globalProxyPassword);
    expect(await secrets.get(secretKeys.globalProxyPassword)).toBeUndefined();
  });

  it('names each secret after what it belongs to', () => {
    expect(secretKeys.communityPassword('corp')).toBe('community:corp:password');
    expect(secretKeys.communityProxyPassword('corp')).toBe('community:corp:proxy:password');
    expect(secretKeys.globalProxyPassword).toBe('proxy:global:password');
  });
});

describe('passwords and the settings file', () => {
  it('keeps account and proxy passwords out of the file on disk', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'burrow-secrets-'));
    try {
      const secrets = new MemorySecretStore();
      const store = await openSettingsStore({ cwd: folder, secrets });
      store.write({
        version: SETTINGS_VERSION,
        connection: { method: 'proxy', proxy: { type: 'socks5', host: 'proxy.corp.example', port: 1080, username: 'alice' } },
        communities: [{ id: 'corp', displayName: 'Corp chat', hostServer: 'chat.corp.example', username: 'alice' }],
      });
      await secrets.set(secretKeys.globalProxyPassword, 'proxy-Pa55word');
      await secrets.set(secretKeys.communityPassword('corp'), 'account-Pa55word');

      const onDisk = await readFile(store.path, 'utf8');
      expect(onDisk).toContain('proxy.corp.example');
      expect(onDisk).not.toContain('Pa55word');
      expect(onDisk).not.toMatch(/password/i);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
