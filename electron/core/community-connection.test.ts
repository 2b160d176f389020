import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Community } from '../common/settings/schema.js';
import { communityAddress, communityConnection } from './community-connection.js';
import { createCore, type Core } from './core.js';
import { parsePolicy } from './settings/policy.js';
import { MemorySecretStore } from './settings/secrets.js';
import { SETTINGS_VERSION } from '../common/settings/schema.js';

const CA = '-----BEGIN CERTIFICATE-----\nMIIBAA==\n-----END CERTIFICATE-----';
const community: Community = { id: 'lab', displayName: 'Lab', hostServer: 'chat.lab.test', username: 'alice', useGlobalConnection: false, connection: {} };

let dir: string;
let core: Core;
const secrets = new MemorySecretStore();

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'burrow-community-connection-'));
  await writeFile(path.join(dir, 'corp-ca.pem'), CA);
  await writeFile(path.join(dir, 'policy.json'), '{}');
  const policy = parsePolicy({ name: path.join(dir, 'policy.json'), policy: { trustedCaFiles: ['corp-ca.pem'], defaults: { connection: { attemptDelayMs: 100 } } }, directory: dir });
  core = await createCore({ dataDir: path.join(dir, 'data'), mode: 'browser', version: '1.0.0', secrets, policy, autoConnect: false });
});

afterEach(async () => {
  await core.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a community as the connection manager sees it', () => {
  it('writes the port into the address: host:port, or into an address URL', () => {
    expect(communityAddress(community)).toBe('chat.lab.test');
    expect(communityAddress({ ...community, port: 5222 })).toBe('chat.lab.test:5222');
    expect(communityAddress({ ...community, hostServer: 'wss://chat.lab.test/ws', port: 8443 })).toBe('wss://chat.lab.test:8443/ws');
  });

  it('takes the community own proxy with its password from the keychain, the timings in effect and every trusted CA', async () => {
    core.settings.store.write({
      version: SETTINGS_VERSION,
      connection: { trustedCaPem: CA },
      communities: [{ ...community, xmppDomain: 'lab.test', connection: { method: 'proxy', proxy: { type: 'socks5', host: 'socks.lab.test', port: 1080, username: 'burrowlab' } } }],
    });
    await secrets.set('community:lab:proxy:password', 'socks-secret');
    await secrets.set('community:lab:password', 'alice-secret');

    const { request, account } = await communityConnection('lab', { settings: core.settings, secrets });
    expect(request).toMatchObject({
      address: 'chat.lab.test',
      domain: 'lab.test',
      method: 'proxy',
      proxy: { type: 'socks5', host: 'socks.lab.test', port: 1080, username: 'burrowlab', password: 'socks-secret', resolveThroughProxy: true },
      allowUnencrypted: false,
      strategy: { kind: 'race', attemptDelayMs: 100 },
      deadlineMs: 20_000,
      trust: { extraCas: [CA, CA] },
    });
    expect(request.systemProxy).toBeUndefined();
    expect(account).toEqual({ username: 'alice', password: 'alice-secret' });
  });

  it('says clearly when a trusted CA file cannot be read', async () => {
    await rm(path.join(dir, 'corp-ca.pem'));
    core.settings.store.write({ version: SETTINGS_VERSION, connection: {}, communities: [community] });
    await expect(communityConnection('lab', { settings: core.settings, secrets })).rejects.toThrow(/The trusted CA file .*corp-ca\.pem cannot be read/);
  });

  it('refuses an unknown community', async () => {
    await expect(communityConnection('nowhere', { settings: core.settings, secrets })).rejects.toThrow('There is no community "nowhere".');
  });
});
