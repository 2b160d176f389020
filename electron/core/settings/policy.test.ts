import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  certificateTrustAllowed,
  emptyPolicy,
  loadPolicy,
  machinePolicyPath,
  mergePolicies,
  mergePolicySources,
  parsePolicy,
  PolicyError,
  policyPaths,
  type PolicyContext,
} from './policy.js';

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
const loggedInAs = (login: string | undefined): PolicyContext => ({ osLogin: () => login });
/** One policy from a file in /etc/burrow, as the file reader hands it on. */
const fromFile = (policy: unknown, context = loggedInAs('jdoe')) => parsePolicy({ name: '/etc/burrow/policy.json', policy, directory: '/etc/burrow' }, context);
const pem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----';

describe('a valid policy', () => {
  it('gives communities, defaults, locks and trusted CAs', () => {
    const policy = parsePolicy({
      name: '/opt/burrow/resources/policy.json',
      directory: '/opt/burrow/resources',
      policy: {
        communities: [corpCommunity],
        defaults: { connection: { attemptDelayMs: 150 } },
        locked: { connection: { method: 'proxy', proxy: { type: 'http', host: 'proxy.corp.example', port: 3128 } } },
        trustedCa: [pem],
        trustedCaFiles: ['corp-ca.pem', '/etc/ssl/other-ca.pem'],
      },
    });
    expect(policy).toEqual({
      communities: [{ ...corpCommunity, username: '', useGlobalConnection: true, connection: {} }],
      communityLocks: {},
      defaults: { attemptDelayMs: 150 },
      locked: { method: 'proxy', proxy: { type: 'http', host: 'proxy.corp.example', port: 3128 } },
      desktopDefaults: {},
      desktopLocked: {},
      trustedCa: [pem],
      trustedCaFiles: ['/opt/burrow/resources/corp-ca.pem', '/etc/ssl/other-ca.pem'],
      updates: {},
      sources: ['/opt/burrow/resources/policy.json'],
    });
  });

  it('turns "allowUnencryptedTunnelling" into a lock on the user\'s choice', () => {
    expect(fromFile({ allowUnencryptedTunnelling: false }).locked).toEqual({ allowUnencrypted: false });
  });

  it('may forbid users to trust a server certificate themselves; they may unless it says so', () => {
    expect(certificateTrustAllowed(fromFile({ allowCertificateTrust: false }))).toBe(false);
    expect(certificateTrustAllowed(fromFile({}))).toBe(true);
  });

  it('may turn updates off or pin their channel', () => {
    expect(fromFile({ updates: { enabled: false } }).updates).toEqual({ enabled: false });
    expect(fromFile({ updates: { channel: 'beta' } }).updates).toEqual({ channel: 'beta' });
  });

  it('may set or lock the desktop settings (tray, start at login, away when idle)', () => {
    const policy = fromFile({ version: 2, defaults: { desktop: { awayAfterMinutes: 15 } }, locked: { desktop: { startAtLogin: true } } });
    expect(policy).toMatchObject({ desktopDefaults: { awayAfterMinutes: 15 }, desktopLocked: { startAtLogin: true } });
    expect(() => fromFile({ version: 2, locked: { desktop: { awayAfterMinutes: -1 } } })).toThrow(/locked\.desktop\.awayAfterMinutes/);
  });

  it('may be empty, or name its JSON Schema', () => {
    expect(fromFile({ $schema: './policy.schema.json' })).toEqual({ ...emptyPolicy, sources: ['/etc/burrow/policy.json'] });
  });

  it('is read as version 1 without a version, and means the same as version 2', () => {
    const document = { communities: [corpCommunity], locked: { connection: { method: 'automatic' } } };
    expect(fromFile(document)).toEqual(fromFile({ ...document, version: 2 }));
    expect(fromFile({ ...document, version: 1 })).toEqual(fromFile({ ...document, version: 2 }));
  });
});

describe('a version 2 policy', () => {
  const proxy = { type: 'http', host: 'proxy.corp.example', port: 3128 };

  it('locks a community whole: its server fields, and the method and proxy it sets', () => {
    const policy = fromFile({ version: 2, communities: [{ ...corpCommunity, locked: true, connection: { method: 'proxy', proxy } }] });
    expect(policy.communityLocks).toEqual({ corp: { fields: ['hostServer', 'port', 'xmppDomain'], connection: { method: 'proxy', proxy } } });
    expect(policy.communities[0]).not.toHaveProperty('locked');
  });

  it('locks a community field by field', () => {
    const policy = fromFile({ version: 2, communities: [{ ...corpCommunity, locked: ['hostServer', 'method'], connection: { method: 'direct-tcp' } }] });
    expect(policy.communityLocks).toEqual({ corp: { fields: ['hostServer'], connection: { method: 'direct-tcp' } } });
  });

  it('takes the user name from the operating-system login when told to', () => {
    const document = { version: 2, communities: [{ ...corpCommunity, username: { fromOsLogin: true } }] };
    expect(fromFile(document, loggedInAs('jdoe')).communities[0]?.username).toBe('jdoe');
  });

  it('leaves the user name for the user to give when the login cannot be told', () => {
    const document = { version: 2, communities: [{ ...corpCommunity, username: { fromOsLogin: true } }] };
    expect(fromFile(document, loggedInAs(undefined)).communities[0]?.username).toBe('');
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
    [{ version: 2, communities: [{ ...corpCommunity, locked: ['method'] }] }, 'communities[0].locked[0]', /locks "method", so connection.method must be set/],
    [{ version: 2, communities: [{ ...corpCommunity, locked: ['host'] }] }, 'communities[0].locked', /must be true, or a list of hostServer, port, xmppDomain, method, proxy/],
    [{ version: 2, communities: [{ ...corpCommunity, username: { fromOsLogin: 'yes' } }] }, 'communities[0].username', /./],
    [{ communities: [{ ...corpCommunity, locked: true }] }, 'communities[0].locked', /is a policy version 2 key; add "version": 2/],
    [{ communities: [{ ...corpCommunity, username: { fromOsLogin: true } }] }, 'communities[0].username', /only in policy version 2; add "version": 2/],
    [{ version: 3 }, 'version', /is 3, for a newer Burrow/],
    [{ version: '2' }, 'version', /must be a policy version number/],
    [[corpCommunity], '(root)', /must be a JSON object/],
  ])('%j → %s', (document, field, reason) => {
    try {
      fromFile(document);
      expect.unreachable('the policy should have been refused');
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyError);
      const { source, issues, message } = error as PolicyError;
      expect(source).toBe('/etc/burrow/policy.json');
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
    const userManaged = { name: 'HKEY_CURRENT_USER\\Software\\Policies\\Burrow', policy: { defaults: { connection: { deadlineMs: 15_000, attemptDelayMs: 200 } } } };
    const machineManaged = { name: 'HKEY_LOCAL_MACHINE\\Software\\Policies\\Burrow', policy: { defaults: { connection: { deadlineMs: 30_000 } } } };
    const policy = await loadPolicy([machineFile], () => Promise.resolve({ machineManaged, userManaged }));
    expect(policy.defaults).toEqual({ deadlineMs: 30_000, attemptDelayMs: 200 });
    expect(policy.sources).toEqual([machineFile, userManaged.name, machineManaged.name]);
  });

  it('lets the later file say whether users may trust certificates, and keeps what the earlier said otherwise', () => {
    const [forbids, allows, silent] = [{ allowCertificateTrust: false }, { allowCertificateTrust: true }, {}].map((document) => fromFile(document));
    expect(certificateTrustAllowed(mergePolicies(forbids!, silent!))).toBe(false);
    expect(certificateTrustAllowed(mergePolicies(forbids!, allows!))).toBe(true);
    expect(certificateTrustAllowed(mergePolicies(allows!, forbids!))).toBe(false);
  });

  it('lets the later file turn updates off, keeping the channel the earlier pinned', () => {
    const [pinsBeta, turnsOff] = [{ updates: { channel: 'beta' } }, { updates: { enabled: false } }].map((document) => fromFile(document));
    expect(mergePolicies(pinsBeta!, turnsOff!).updates).toEqual({ channel: 'beta', enabled: false });
  });

  it('lets the later file lock a desktop setting, keeping what the earlier locked otherwise', () => {
    const [locksTray, locksStart] = [{ locked: { desktop: { closeToTray: false } } }, { locked: { desktop: { startAtLogin: true } } }].map((document) => fromFile({ version: 2, ...document }));
    expect(mergePolicies(locksTray!, locksStart!).desktopLocked).toEqual({ closeToTray: false, startAtLogin: true });
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

describe('precedence between policy sources', () => {
  /** A source as a platform reader hands it on: a name for errors, and the document it read. */
  const source = (name: string, policy: unknown) => ({ name, policy });
  const sayingDeadline = (deadlineMs: number) => ({ version: 2, locked: { connection: { deadlineMs } } });

  it('is installer < machine file < user-level managed < machine-level managed, whatever order the platform hands them in', async () => {
    // In the order policyPaths gives them.
    const installer = await policyFile('resources/policy.json', sayingDeadline(1_000));
    const machineFile = await policyFile('etc/burrow/policy.json', sayingDeadline(2_000));
    const managed = {
      machineManaged: source('HKLM\\Software\\Policies\\Burrow', sayingDeadline(4_000)),
      userManaged: source('HKCU\\Software\\Policies\\Burrow', sayingDeadline(3_000)),
    };
    const merged = await loadPolicy([installer, machineFile], () => Promise.resolve(managed));
    expect(merged.locked.deadlineMs).toBe(4_000);
    expect(merged.sources).toEqual([installer, machineFile, 'HKCU\\Software\\Policies\\Burrow', 'HKLM\\Software\\Policies\\Burrow']);
    expect((await loadPolicy([installer, machineFile], () => Promise.resolve({ ...managed, machineManaged: undefined }))).locked.deadlineMs).toBe(3_000);
    expect((await loadPolicy([installer, machineFile])).locked.deadlineMs).toBe(2_000);
  });

  it('keeps what a lower source says and a higher one does not', async () => {
    const installer = await policyFile('resources/policy.json', { version: 2, locked: { connection: { method: 'direct-tcp' } }, allowCertificateTrust: false });
    const merged = await loadPolicy([installer], () => Promise.resolve({ machineManaged: source('profile', { version: 2, locked: { connection: { deadlineMs: 5_000 } } }) }));
    expect(merged.locked).toEqual({ method: 'direct-tcp', deadlineMs: 5_000 });
    expect(certificateTrustAllowed(merged)).toBe(false);
  });

  it('lets the higher source define a community whole, its locks included', () => {
    const merged = mergePolicySources([
      source('installer', { version: 2, communities: [{ ...corpCommunity, locked: true }] }),
      source('profile', { version: 2, communities: [{ ...corpCommunity, hostServer: 'chat2.corp.example', locked: ['port'] }] }),
    ]);
    expect(merged.communities.map(({ hostServer }) => hostServer)).toEqual(['chat2.corp.example']);
    expect(merged.communityLocks).toEqual({ corp: { fields: ['port'], connection: {} } });
  });

  it('keeps the locks of a community only a lower source defines', () => {
    const merged = mergePolicySources([
      source('installer', { version: 2, communities: [{ ...corpCommunity, locked: ['hostServer'] }] }),
      source('profile', { version: 2, communities: [{ id: 'partners', displayName: 'Partners', hostServer: 'xmpp.partner.example' }] }),
    ]);
    expect(merged.communityLocks).toEqual({ corp: { fields: ['hostServer'], connection: {} } });
  });

  it('names the source of an invalid policy, and applies none of them', () => {
    const merge = () =>
      mergePolicySources([source('installer', { version: 2 }), source('HKLM\\Software\\Policies\\Burrow', { version: 1, communities: [{ ...corpCommunity, locked: true }] })]);
    expect(merge).toThrow(PolicyError);
    expect(merge).toThrow(/The administrator policy HKLM\\Software\\Policies\\Burrow is invalid:\ncommunities\[0\]\.locked: is a policy version 2 key/);
  });

  it('needs absolute CA file paths from a source that is not a file', () => {
    expect(() => mergePolicySources([source('profile', { trustedCaFiles: ['corp-ca.pem'] })])).toThrow(/profile is invalid:\ntrustedCaFiles\[0\]: must be an absolute path/);
    expect(mergePolicySources([source('profile', { trustedCaFiles: ['/etc/ssl/corp-ca.pem'] })]).trustedCaFiles).toEqual(['/etc/ssl/corp-ca.pem']);
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
