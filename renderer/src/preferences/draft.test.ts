import { describe, expect, it } from 'vitest';
import { flattenConnection } from '../../../electron/common/settings/connection-keys.js';
import { builtInDesktopSettings } from '../../../electron/common/settings/desktop.js';
import { builtInConnectionSettings, defaultSettings } from '../../../electron/common/settings/schema.js';
import type { SettingsView } from '../../../electron/contract/contract.js';
import { desktopFormValues, draftFromView, globalValues, isDirty, saveRequest, validateDraft, withDesktopOverride, withOverride } from './draft.js';

const resolvedDefaults = Object.fromEntries(Object.entries(flattenConnection(builtInConnectionSettings)).map(([key, value]) => [key, { value, source: 'default' }]));
const corp = { id: 'corp', displayName: 'Corp chat', hostServer: 'chat.corp.example', username: '', useGlobalConnection: true, connection: {} };

const view: SettingsView = {
  settings: defaultSettings,
  global: { ...resolvedDefaults, deadlineMs: { value: 15_000, source: 'admin-locked' } },
  desktop: { ...Object.fromEntries(Object.entries(builtInDesktopSettings).map(([key, value]) => [key, { value, source: 'default' }])), startAtLogin: { value: true, source: 'admin-locked' } },
  communities: [{ community: corp, source: 'admin-default', connection: {}, lockedFields: [], removable: true }],
  lockedKeys: ['deadlineMs'],
  storedPasswords: [],
  certificateTrustAllowed: true,
  settingsFile: '/tmp/settings.json',
};

describe('the Preferences draft', () => {
  it('stores a desktop setting the user changes, nothing once changed back, and shows locked values whatever is stored', () => {
    const draft = draftFromView(view);
    const changed = withDesktopOverride(view, draft.desktop, 'awayAfterMinutes', 5);
    expect(changed).toEqual({ awayAfterMinutes: 5 });
    expect(withDesktopOverride(view, changed, 'awayAfterMinutes', 10)).toEqual({});
    expect(desktopFormValues(view, { ...draft, desktop: { startAtLogin: false, closeToTray: false } })).toEqual({ closeToTray: false, startAtLogin: true, awayAfterMinutes: 10 });
    expect(saveRequest({ ...draft, desktop: changed }, view).settings.desktop).toEqual({ awayAfterMinutes: 5 });
  });

  it('finds a wrong number of idle minutes', () => {
    const draft = { ...draftFromView(view), desktop: { awayAfterMinutes: -3 } };
    expect(validateDraft(view, draft)).toContainEqual({ key: 'desktop.awayAfterMinutes', path: 'desktop.awayAfterMinutes', message: 'must be a whole number of minutes from 0 (never) to 720' });
  });

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
