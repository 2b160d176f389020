import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { build, parse } from 'plist';
import type { PlistValue } from 'plist';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../policy.js';
import { burrowBundleId, readManagedPreferences } from './managed-preferences.js';
import { configurationProfile, templatePolicy } from './mobileconfig.js';
import type { PolicyDocument } from './mobileconfig.js';
import { leafFields, policyShape } from './policy-shape.js';

const projectRoot = path.resolve(import.meta.dirname, '../../../..');
type Dict = Record<string, PlistValue>;

/** The profile as macOS reads it, and the preferences it forces for Burrow. */
function readProfile(profileXml: string): { profile: Dict; payload: Dict; forced: Dict } {
  const profile = parse(profileXml) as Dict;
  const [payload] = profile.PayloadContent as Dict[];
  const forced = ((payload?.PayloadContent as Dict)[burrowBundleId] as { Forced: { mcx_preference_settings: Dict }[] }).Forced[0]?.mcx_preference_settings;
  return { profile, payload: payload!, forced: forced! };
}

describe('the configuration profile', () => {
  it('is a property list macOS installs: a Configuration with a managed-preferences payload for the bundle id, each with its own UUID', () => {
    const { profile, payload } = readProfile(configurationProfile({ allowCertificateTrust: false }));
    const uuid = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
    expect(profile).toMatchObject({ PayloadType: 'Configuration', PayloadVersion: 1, PayloadIdentifier: 'org.burrow.messenger.policy', PayloadUUID: expect.stringMatching(uuid), PayloadScope: 'System' });
    expect(payload).toMatchObject({ PayloadType: 'com.apple.ManagedClient.preferences', PayloadVersion: 1, PayloadUUID: expect.stringMatching(uuid), PayloadEnabled: true });
    expect(payload.PayloadUUID).not.toBe(profile.PayloadUUID);
  });

  it("forces the policy file's keys, which Burrow reads back from managed preferences as the same policy", async () => {
    const document = JSON.parse(await readFile(path.join(projectRoot, 'assets/policy.example.json'), 'utf8')) as PolicyDocument;
    const { forced } = readProfile(configurationProfile(document));
    const managedFile = `/Library/Managed Preferences/${burrowBundleId}.plist`;
    const policy = await readManagedPreferences({ read: () => Promise.resolve(Buffer.from(build(forced))) }, managedFile);
    expect(parsePolicy(policy!)).toEqual(parsePolicy({ name: managedFile, policy: document }));
  });

  it('without a policy, is a template holding every key of the policy schema', () => {
    const { profile, forced } = readProfile(configurationProfile(templatePolicy(), { displayName: 'template' }));
    expect(profile.PayloadDisplayName).toBe('template');
    for (const { path: fieldPath } of leafFields(policyShape())) {
      expect(forced, fieldPath.join('.')).toHaveProperty(fieldPath);
    }
    expect((forced.communities as Dict[])[0]).toEqual(expect.objectContaining({ id: '', hostServer: '', useGlobalConnection: true, connection: {} }));
  });
});
