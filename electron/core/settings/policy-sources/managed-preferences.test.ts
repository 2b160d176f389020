import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { burrowBundleId, diskPreferenceFiles, managedPreferencesPaths, readManagedPreferences } from './managed-preferences.js';
import type { PreferenceFiles } from './managed-preferences.js';
import { parsePolicy } from '../policy.js';
import { refusal } from './testing/refused.js';

const projectRoot = path.resolve(import.meta.dirname, '../../../..');
const [userFile, machineFile] = managedPreferencesPaths('zoe') as [string, string];

/** Managed Preferences holding recorded plists, by the path the system would write each at. */
function managedPreferences(fixtures: Record<string, string>): PreferenceFiles {
  return {
    async read(file) {
      const fixture = fixtures[file];
      return fixture === undefined ? undefined : readFile(path.join(import.meta.dirname, 'fixtures', fixture));
    },
  };
}

/** What Burrow makes of one managed-preferences file: read, then validated as any source is. */
async function readParsed(files: PreferenceFiles, file: string) {
  const source = await readManagedPreferences(files, file);
  return source && parsePolicy(source);
}

describe('macOS managed preferences', () => {
  it("are looked for under the user's name, then for the whole machine, by the app's bundle id", async () => {
    expect([userFile, machineFile]).toEqual(['/Library/Managed Preferences/zoe/org.burrow.messenger.plist', '/Library/Managed Preferences/org.burrow.messenger.plist']);
    const builderConfig = await readFile(path.join(projectRoot, 'electron-builder.yml'), 'utf8');
    expect(builderConfig).toMatch(new RegExp(`^appId: ${burrowBundleId.replaceAll('.', '\\.')}$`, 'm'));
  });

  it('read an XML plist with the keys of the policy file, lists of communities included', async () => {
    const policy = await readParsed(managedPreferences({ [machineFile]: 'org.burrow.messenger.plist' }), machineFile);
    expect(policy).toEqual({
      communityLocks: {},
      communities: [{ id: 'corp', displayName: 'Corp chat', hostServer: 'chat.corp.example', port: 5222, username: '', useGlobalConnection: false, connection: { method: 'direct-tcp' } }],
      defaults: {},
      locked: { deadlineMs: 30_000, allowUnencrypted: false },
      desktopDefaults: {},
      desktopLocked: {},
      trustedCa: [],
      updates: {},
      trustedCaFiles: ['/Library/Burrow/corp-ca.pem'],
      sources: [machineFile],
    });
  });

  it('read the binary plist the system writes', async () => {
    const policy = await readParsed(managedPreferences({ [userFile]: 'user-org.burrow.messenger.plist' }), userFile);
    expect(policy).toMatchObject({ defaults: { method: 'system-proxy', pacUrl: 'https://wpad.corp.example/proxy.pac' }, allowCertificateTrust: false, sources: [userFile] });
  });

  it('are no policy at all when the file does not exist', async () => {
    expect(await readManagedPreferences(managedPreferences({}), machineFile)).toBeUndefined();
    expect(await diskPreferenceFiles.read(path.join(import.meta.dirname, 'fixtures', 'absent.plist'))).toBeUndefined();
  });

  it('are refused, naming the file, when the plist is malformed', async () => {
    const { source, message } = await refusal(readManagedPreferences(managedPreferences({ [machineFile]: 'malformed.plist' }), machineFile));
    expect(source).toBe(machineFile);
    expect(message).toMatch(/^The administrator policy \/Library\/Managed Preferences\/org\.burrow\.messenger\.plist is invalid:\nis not a valid property list: /);
  });

  it('are refused, naming the file and the field, when a value has the wrong type', async () => {
    const { source, issues } = await refusal(readParsed(managedPreferences({ [machineFile]: 'wrong-type-org.burrow.messenger.plist' }), machineFile));
    expect(source).toBe(machineFile);
    expect(issues.map(({ path: field }) => field).sort()).toEqual(['communities[0].port', 'locked.connection.deadlineMs']);
  });
});
