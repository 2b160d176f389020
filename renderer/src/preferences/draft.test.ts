import { describe, expect, it } from 'vitest';
import { flattenConnection } from '../../../electron/common/settings/connection-keys.js';
import { builtInConnectionSettings, defaultSettings } from '../../../electron/common/settings/schema.js';
import type { SettingsView } from '../../../electron/contract/contract.js';
import { draftFromView, globalValues, isDirty, saveRequest, validateDraft, withOverride } from './draft.js';

const resolvedDefaults = Object.fromEntries(Object.entries(flattenConnection(builtInConnectionSettings)).map(([key, value]) => [key, { value, source: 'default' }]));
const corp = { id: 'corp', displayName: 'Corp chat', hostServer: 'chat.corp.example', username: '', useGlobalConnection: true, connection: {} };

const view: SettingsView = {
  settings: defaultSettings,
  global: { ...resolvedDefaults, deadlineMs: { value: 15_000, source: 'admin-locked' } },
  communities: [{ community: corp, source: 'admin-default', connection: {}, lockedFields: [], removable: true }],
  lockedKeys: ['deadlineMs'],
  storedPasswords: [],
  certificateTrustAllowed: true,
  settingsFile: '/tmp/settings.json',
};

describe('the Preferences draft', () => {
  it('stores an edited value as an override, and nothing once it is changed back', () => {
    const changed = withOverride({}, {}, 'method', 'proxy', 'automatic');
    expect(changed).toEqual({ method: 'proxy' });
    expect(withOverride(changed, {}, 'method', 'automatic', 'automatic')).toEqual({});
  });

  it('keeps a value the user had stored even when it equals the inherited one', () => {
    expect(withOverride({ method: 'proxy' }, { method: 'proxy' }, 'method', 'automatic', 'automatic')).toEqual({ method: 'automatic' });
  });

  it('shows locked values whatever the user stored', () => {
    const draft = { ...draftFromView(view), connection: { deadlineMs: 30_000 } };
    expect(globalValues(view, draft).deadlineMs).toBe(15_000);
  });

  it('saves an administrator\'s community only once the user changed it', () => {
    const draft = draftFromView(view);
    expect(saveRequest(draft, view).settings.communities).toEqual([]);
    expect(isDirty(draft, view)).toBe(false);
    const edited = { ...draft, communities: [{ community: { ...corp, username: 'alice' }, adminProvided: true }] };
    expect(saveRequest(edited, view).settings.communities).toEqual([{ ...corp, username: 'alice' }]);
    expect(isDirty(edited, view)).toBe(true);
  });

  it('names each problem by where it is shown', () => {
    const draft = { ...draftFromView(view), connection: { method: 'proxy' as const }, communities: [{ community: { ...corp, port: 0 }, adminProvided: false }] };
    expect(validateDraft(view, draft).map(({ key }) => key)).toEqual(['global.proxy.host', 'community.corp.port']);
  });
});
