import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { certificateTrustAllowed, emptyPolicy, loadPolicy, machinePolicyPath, mergePolicies, parsePolicy, PolicyError, policyPaths } from './policy.js';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'burrow-policy-'));
});
afterEach(() => rm(folder, { recursive: true, force: true }));

async function policyFile(name: string, document: unknown): Promise<string> {
  const file = path.join(folder, name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, typeof document === 'string' ? document : JSON.stringify(document));
  return file;
}

const corpCommunity = { id: 'corp', displayName: 'Corp chat', hostServer: 'chat.corp.example' };
const pem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----';

describe('a valid policy', () => {
  it('gives communities, defaults, locks and trusted CAs', () => {
    const policy = parsePolicy(
      {
        communities: [corpCommunity],
        defaults: { connection: { attemptDelayMs: 150 } },
        locked: { connection: { method: 'proxy', proxy: { type: 'http', host: 'proxy.corp.example', port: 3128 } } },
        trustedCa: [pem],
        trustedCaFiles: ['corp-ca.pem', '/etc/ssl/other-ca.pem'],
      },
      '/opt/burrow/resources/policy.json',
    );
    expect(policy).toEqual({
      communities: [{ ...corpCommunity, username: '', useGlobalConnection: true, connection: {} }],
      defaults: { attemptDelayMs: 150 },
      locked: { method: 'proxy', proxy: { type: 'http', host: 'proxy.corp.example', port: 3128 } },
      trustedCa: [pem],
      trustedCaFiles: ['/opt/burrow/resources/corp-ca.pem', '/etc/ssl/other-ca.pem'],
      updates: {},
      sources: ['/opt/burrow/resources/policy.json'],
    });
  });

  it('turns "allowUnencryptedTunnelling" into a lock on the user\'s choice', () => {
    expect(parsePolicy({ allowUnencryptedTunnelling: false }, 'policy.json').locked).toEqual({ allowUnencrypted: false });
  });

  it('may forbid users to trust a server certificate themselves; they may unless it says so', () => {
    expect(certificateTrustAllowed(parsePolicy({ allowCertificateTrust: false }, 'policy.json'))).toBe(false);
    expect(certificateTrustAllowed(parsePolicy({}, 'policy.json'))).toBe(true);
  });

  it('may turn updates off or pin their channel', () => {
    expect(parsePolicy({ updates: { enabled: false } }, 'policy.json').updates).toEqual({ enabled: false });
    expect(parsePolicy({ updates: { channel: 'beta' } }, 'policy.json').updates).toEqual({ channel: 'beta' });
  });

  it('may be empty, or name its JSON Schema', () => {
    expect(parsePolicy({ $schema: './policy.schema.json' }, 'policy.json')).toEqual({ ...emptyPolicy, sources: ['policy.json'] });
  });
});

describe('an invalid policy names the file, the field and the reason', () => {
  it.each([
    [{ lockd: {} }, '(root)', /Unrecognized key: "lockd"/],
    [{ locked: { connection: { proxy: { port: 0 } } } }, 'locked.connection.proxy.port', /1 to 65535/],
    [{ defaults: { connection: { method: 'carrier-pigeon' } } }, 'defaults.connection.method', /automatic/],
    [{ locked: { connection: { proxy: { host: 'proxy corp' } } } }, 'locked.connection.proxy.host', /host name/],
    [{ locked: { connection: { proxy: { password: 'x' } } } }, 'locked.connection.proxy', /Unrecognized key: "password"/],
    [{ communities: [{ ...corpCommunity, port: 99999 }] }, 'communities[0].port', /1 to 65535/],
    [{ communities: [corpCommunity, corpCommunity] }, 'communities[1].id', /used by another community/],
    [{ trustedCa: ['my CA'] }, 'trustedCa[0]', /PEM certificate/],
    [{ allowCertificateTrust: 'no' }, 'allowCertificateTrust', /boolean/],
    [{ updates: { channel: 'nightly' } }, 'updates.channel', /stable/],
    [{ updates: { enabled: 'no' } }, 'updates.enabled', /boolean/],
    [{ allowUnencryptedTunnelling: true, locked: { connection: { allowUnencrypted: false } } }, 'allowUnencryptedTunnelling', /contradicts/],
  ])('%j → %s', (document, field, reason) => {
    try {
      parsePolicy(document, '/etc/burrow/policy.json');
      expect.unreachable('the policy should have been refused');
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyError);
      const { file, issues, message } = error as PolicyError;
      expect(file).toBe('/etc/burrow/policy.json');
      expect(issues).toHaveLength(1);
      expect(issues[0]?.path || '(root)').toBe(field);
      expect(issues[0]?.message).toMatch(reason);
      expect(message).toContain('The administrator policy /etc/burrow/policy.json is invalid');
    }
  });
});

describe('loading policy files', () => {
  it('applies nothing when no file exists', async () => {
    expect(await loadPolicy([path.join(folder, 'resources/policy.json'), path.join(folder, 'etc/policy.json')])).toEqual(emptyPolicy);
  });

  it('merges the installer policy and the machine policy, the machine one winning key by key', async () => {
    const installer = await policyFile('resources/policy.json', {
      communities: [corpCommunity, { id: 'partners', displayName: 'Partners', hostServer: 'xmpp.partner.example' }],
      defaults: { connection: { method: 'direct-tcp', proxy: { host: 'proxy.corp.example', port: 3128 } } },
      trustedCaFiles: ['corp-ca.pem'],
    });
    const machine = await policyFile('etc/policy.json', {
      communities: [{ ...corpCommunity, hostServer: 'chat2.corp.example' }],
      defaults: { connection: { proxy: { port: 8080 } } },
      locked: { connection: { deadlineMs: 10_000 } },
    });
    const policy = await loadPolicy([installer, machine]);
    expect(policy.communities.map(({ id, hostServer }) => [id, hostServer])).toEqual([
      ['partners', 'xmpp.partner.example'],
      ['corp', 'chat2.corp.example'],
    ]);
    expect(policy.defaults).toEqual({ method: 'direct-tcp', proxy: { host: 'proxy.corp.example', port: 8080 } });
    expect(policy.locked).toEqual({ deadlineMs: 10_000 });
    expect(policy.trustedCaFiles).toEqual([path.join(folder, 'resources/corp-ca.pem')]);
    expect(policy.sources).toEqual([installer, machine]);
  });

  it("applies the platform's managed policies (registry, configuration profile) after the files, the user's first", async () => {
    const machineFile = await policyFile('etc/policy.json', { defaults: { connection: { deadlineMs: 10_000, attemptDelayMs: 100 } } });
    const userRegistry = parsePolicy({ defaults: { connection: { deadlineMs: 15_000, attemptDelayMs: 200 } } }, 'HKEY_CURRENT_USER\\Software\\Policies\\Burrow');
    const machineRegistry = parsePolicy({ defaults: { connection: { deadlineMs: 30_000 } } }, 'HKEY_LOCAL_MACHINE\\Software\\Policies\\Burrow');
    const policy = await loadPolicy([machineFile], () => Promise.resolve([userRegistry, machineRegistry]));
    expect(policy.defaults).toEqual({ deadlineMs: 30_000, attemptDelayMs: 200 });
    expect(policy.sources).toEqual([machineFile, ...userRegistry.sources, ...machineRegistry.sources]);
  });

  it('lets the later file say whether users may trust certificates, and keeps what the earlier said otherwise', () => {
    const [forbids, allows, silent] = [{ allowCertificateTrust: false }, { allowCertificateTrust: true }, {}].map((document) => parsePolicy(document, 'policy.json'));
    expect(certificateTrustAllowed(mergePolicies(forbids!, silent!))).toBe(false);
    expect(certificateTrustAllowed(mergePolicies(forbids!, allows!))).toBe(true);
    expect(certificateTrustAllowed(mergePolicies(allows!, forbids!))).toBe(false);
  });

  it('lets the later file turn updates off, keeping the channel the earlier pinned', () => {
    const [pinsBeta, turnsOff] = [{ updates: { channel: 'beta' } }, { updates: { enabled: false } }].map((document) => parsePolicy(document, 'policy.json'));
    expect(mergePolicies(pinsBeta!, turnsOff!).updates).toEqual({ channel: 'beta', enabled: false });
  });

  it('refuses everything when one file is invalid, rather than applying half a policy', async () => {
    const installer = await policyFile('resources/policy.json', { communities: [corpCommunity] });
    const machine = await policyFile('etc/policy.json', '{ "locked": ');
    await expect(loadPolicy([installer, machine])).rejects.toThrow(
      new RegExp(`The administrator policy ${machine} is invalid:\\nis not valid JSON`),
    );
  });

  it('refuses a policy path it cannot read', async () => {
    await mkdir(path.join(folder, 'policy.json'));
    await expect(loadPolicy([path.join(folder, 'policy.json')])).rejects.toThrow(/cannot be read: EISDIR/);
  });
});

describe('where the policy files are', () => {
  it('puts the installer policy in the resources folder, before the machine-wide file', () => {
    expect(policyPaths('/opt/Burrow/resources', 'linux')).toEqual(['/opt/Burrow/resources/policy.json', '/etc/burrow/policy.json']);
  });

  it('uses the documented machine-wide path on each platform', () => {
    expect(machinePolicyPath('linux', {})).toBe('/etc/burrow/policy.json');
    expect(machinePolicyPath('darwin', {})).toBe('/Library/Application Support/Burrow/policy.json');
    expect(machinePolicyPath('win32', { ProgramData: 'D:\\ProgramData' })).toBe('D:\\ProgramData\\Burrow\\policy.json');
    expect(machinePolicyPath('win32', {})).toBe('C:\\ProgramData\\Burrow\\policy.json');
  });
});
