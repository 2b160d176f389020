import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy.js';
import { parseRegExport } from './reg-file.js';
import { readRegistryPolicy, windowsPolicyKeys } from './registry.js';
import type { RegistrySource } from './registry.js';
import { refusal } from './testing/refused.js';

const [userKey, machineKey] = windowsPolicyKeys as [string, string];

/** A registry holding recorded `reg export` files, by the key each was exported from. */
function recordedRegistry(exports: Record<string, string>): RegistrySource {
  return {
    async readTree(keyPath) {
      const fixture = exports[keyPath];
      return fixture === undefined ? undefined : parseRegExport(await readFile(path.join(import.meta.dirname, 'fixtures', fixture), 'utf8'));
    },
  };
}

/** What Burrow makes of the policy under `keyPath`: read, then validated as any source is. */
async function readParsed(registry: RegistrySource, keyPath: string) {
  const source = await readRegistryPolicy(registry, keyPath);
  return source && parsePolicy(source);
}

describe('the Windows registry policy', () => {
  it('is read from Software\\Policies\\Burrow of the user, then of the machine', () => {
    expect(windowsPolicyKeys).toEqual([String.raw`HKEY_CURRENT_USER\Software\Policies\Burrow`, String.raw`HKEY_LOCAL_MACHINE\Software\Policies\Burrow`]);
  });

  it('reads HKLM: DWORDs as booleans and numbers, strings, subkeys as objects, numbered values as a list, JSON as communities', async () => {
    const policy = await readParsed(recordedRegistry({ [machineKey]: 'hklm-burrow.reg' }), machineKey);
    expect(policy).toEqual({
      communityLocks: {},
      communities: [{ id: 'corp', displayName: 'Corp chat', hostServer: 'chat.corp.example', xmppDomain: 'corp.example', username: '', useGlobalConnection: true, connection: {} }],
      defaults: {},
      locked: { method: 'proxy', allowUnencrypted: false, proxy: { type: 'http', host: 'proxy.corp.example', port: 3128 } },
      desktopDefaults: {},
      desktopLocked: {},
      trustedCa: [],
      updates: {},
      // In the order of the values' numbers; Windows paths, absolute wherever they are read.
      trustedCaFiles: ['C:\\ProgramData\\Corp\\root-ca.pem', 'C:\\ProgramData\\Corp\\issuing-ca.pem'],
      allowCertificateTrust: false,
      sources: [machineKey],
    });
  });

  it('reads HKCU whatever the case of its names, with communities as the lines of a REG_MULTI_SZ, non-ASCII text intact', async () => {
    const policy = await readParsed(recordedRegistry({ [userKey]: 'hkcu-burrow.reg' }), userKey);
    expect(policy?.communities).toEqual([expect.objectContaining({ id: 'equipe', displayName: 'Équipe de Zoë', hostServer: 'wss://chat.equipe.example/xmpp-websocket' })]);
    expect(policy?.defaults).toEqual({ attemptDelayMs: 150 });
    expect(policy?.sources).toEqual([userKey]);
  });

  it('is no policy at all when the key does not exist', async () => {
    expect(await readRegistryPolicy(recordedRegistry({}), machineKey)).toBeUndefined();
  });

  it('names the key and the field of every value of the wrong type, and drops none of them silently', async () => {
    const { source, issues } = await refusal(readRegistryPolicy(recordedRegistry({ [machineKey]: 'hklm-wrong-types.reg' }), machineKey));
    expect(source).toBe(machineKey);
    const byField = Object.fromEntries(issues.map(({ path: field, message }) => [field, message]));
    expect(byField).toEqual({
      allowCertificateTrust: 'must be a REG_DWORD (1 for true, 0 for false), but value "allowCertificateTrust" in HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Burrow is a REG_SZ',
      allowUnencryptedTunnelling: 'must be 0 or 1, but value "allowUnencryptedTunnelling" in HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Burrow is 2',
      communities: expect.stringMatching(/^must be JSON, but value "communities" in HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Burrow is not: /),
      lockedMethod: 'is not a Burrow policy (value "lockedMethod" in HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Burrow)',
      'locked.connection.proxy': 'must be a subkey of HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Burrow\\locked\\connection, not a value',
      'locked.connection.pacUrl': 'must be a REG_SZ, but value "pacUrl" in HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Burrow\\locked\\connection is a REG_EXPAND_SZ',
      'locked.connection.method': 'must be a value in HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Burrow\\locked\\connection, not a subkey',
      'trustedCaFiles[first]': 'must be named 1, 2, 3…; value "first" in HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Burrow\\trustedCaFiles is not',
      'trustedCaFiles[2]': 'must be a REG_SZ, but value "2" in HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Burrow\\trustedCaFiles is a REG_DWORD',
    });
  });

  it('checks what the values say as strictly as a policy file, naming the key', async () => {
    const registry: RegistrySource = {
      readTree: () => Promise.resolve({ path: machineKey, values: [{ name: 'communities', type: 'REG_SZ', data: '[{"id":"corp","displayName":"Corp","hostServer":"chat.corp.example","port":99999}]' }], subkeys: [] }),
    };
    const { source, issues } = await refusal(readParsed(registry, machineKey));
    expect(source).toBe(machineKey);
    expect(issues).toEqual([{ path: 'communities[0].port', message: 'must be a whole number from 1 to 65535' }]);
  });
});

describe('the .reg example in docs/admin.md', () => {
  it('is the example policy file, said in the registry', async () => {
    const projectRoot = path.resolve(import.meta.dirname, '../../../..');
    const docs = await readFile(path.join(projectRoot, 'docs/admin.md'), 'utf8');
    const example = /```reg\n([\s\S]*?)```/.exec(docs)?.[1] ?? '';
    const policy = await readParsed({ readTree: () => Promise.resolve(parseRegExport(example)) }, machineKey);
    const examplePolicy = JSON.parse(await readFile(path.join(projectRoot, 'assets/policy.example.json'), 'utf8')) as unknown;
    expect(policy).toEqual(parsePolicy({ name: machineKey, policy: examplePolicy }));
  });
});

describe('a registry export', () => {
  it('gives the exported key with its subkeys, and the default value under the name ""', () => {
    const root = parseRegExport('Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\A]\r\n@="default"\r\n\r\n[HKEY_CURRENT_USER\\A\\B]\r\n"x"=hex:01,02\r\n');
    expect(root).toEqual({
      path: 'HKEY_CURRENT_USER\\A',
      values: [{ name: '', type: 'REG_SZ', data: 'default' }],
      subkeys: [{ path: 'HKEY_CURRENT_USER\\A\\B', values: [{ name: 'x', type: 'REG_BINARY', data: Uint8Array.from([1, 2]) }], subkeys: [] }],
    });
  });

  it('is refused, naming the line, when it is something else', () => {
    expect(() => parseRegExport('REGEDIT4\r\n')).toThrow(/does not start with "Windows Registry Editor Version 5.00"/);
    expect(() => parseRegExport('Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\A]\r\n"x"=qword:1\r\n')).toThrow(/line 4: cannot read the data of value "x"/);
    expect(() => parseRegExport('Windows Registry Editor Version 5.00\r\n\r\n[HKEY_CURRENT_USER\\A]\r\n\r\n[HKEY_CURRENT_USER\\B]\r\n')).toThrow(/line 5: \[HKEY_CURRENT_USER\\B\] is not under \[HKEY_CURRENT_USER\\A\]/);
  });
});
