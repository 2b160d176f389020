import { describe, expect, it } from 'vitest';
import { assertWritable, isLocked, LockedSettingError, lockedKeys } from './locks.js';
import { emptyPolicy } from './policy.js';
import type { AdministratorPolicy } from './policy.js';
import type { Settings } from '../../common/settings/schema.js';
import { Community, defaultSettings } from '../../common/settings/schema.js';

const lockedProxy: AdministratorPolicy = {
  ...emptyPolicy,
  communities: [Community.parse({ id: 'corp', displayName: 'Corp', hostServer: 'chat.corp.example' })],
  locked: { method: 'proxy', proxy: { host: 'proxy.corp.example' } },
};
const withConnection = (connection: Settings['connection']) => ({ ...defaultSettings, connection });
const withCorpConnection = (connection: Settings['connection']) => ({
  ...defaultSettings,
  communities: [Community.parse({ id: 'corp', displayName: 'Corp', hostServer: 'chat.corp.example', useGlobalConnection: false, connection })],
});

describe('locked keys', () => {
  it('are the keys the policy locks', () => {
    expect(isLocked(lockedProxy, 'method')).toBe(true);
    expect(isLocked(lockedProxy, 'proxy.host')).toBe(true);
    expect(isLocked(lockedProxy, 'proxy.port')).toBe(false);
    expect(lockedKeys(lockedProxy)).toEqual(['method', 'proxy.host']);
  });
});

describe('a write', () => {
  it('is refused when it changes a locked desktop setting, and allowed when it leaves it or writes the locked value', () => {
    const lockedStart: AdministratorPolicy = { ...emptyPolicy, desktopLocked: { startAtLogin: true } };
    const withDesktop = (desktop: Settings['desktop']) => ({ ...defaultSettings, desktop });
    expect(() => assertWritable(lockedStart, defaultSettings, withDesktop({ startAtLogin: false, awayAfterMinutes: 0 }))).toThrow(
      'Set by your administrator and cannot be changed: desktop.startAtLogin',
    );
    expect(() => assertWritable(lockedStart, defaultSettings, withDesktop({ startAtLogin: true, awayAfterMinutes: 0 }))).not.toThrow();
    expect(() => assertWritable(lockedStart, withDesktop({ startAtLogin: false }), withDesktop({ startAtLogin: false }))).not.toThrow();
  });

  it('may change what is not locked', () => {
    expect(() => assertWritable(lockedProxy, defaultSettings, withConnection({ proxy: { port: 3128 } }))).not.toThrow();
  });

  it('is refused when it changes a locked value, with every locked field named', () => {
    const write = () => assertWritable(lockedProxy, defaultSettings, withConnection({ method: 'direct-http', proxy: { host: 'other.example' } }));
    expect(write).toThrow(LockedSettingError);
    expect(write).toThrow('Set by your administrator and cannot be changed: connection.method, connection.proxy.host');
  });

  it("is refused when it changes a locked value in a community's own settings", () => {
    expect(() => assertWritable(lockedProxy, defaultSettings, withCorpConnection({ method: 'automatic' }))).toThrow(
      'Set by your administrator and cannot be changed: communities[0].connection.method',
    );
  });

  it('may write exactly the locked value, leave an old value as it was, or clear it', () => {
    const stale = withConnection({ method: 'direct-tcp' });
    expect(() => assertWritable(lockedProxy, defaultSettings, withConnection({ method: 'proxy' }))).not.toThrow();
    expect(() => assertWritable(lockedProxy, stale, stale)).not.toThrow();
    expect(() => assertWritable(lockedProxy, stale, defaultSettings)).not.toThrow();
  });
});

describe('a write to a community the administrator locked', () => {
  const corp = Community.parse({ id: 'corp', displayName: 'Corp', hostServer: 'chat.corp.example', connection: { method: 'direct-tcp' } });
  const lockedCorp: AdministratorPolicy = {
    ...emptyPolicy,
    communities: [corp],
    communityLocks: { corp: { fields: ['hostServer', 'port'], connection: { method: 'direct-tcp' } } },
  };
  const withCorp = (fields: Partial<Community>): Settings => ({ ...defaultSettings, communities: [{ ...corp, ...fields }] });

  it('may fill in what was left open: the user name, and its own connection values that are not locked', () => {
    expect(() => assertWritable(lockedCorp, defaultSettings, withCorp({ username: 'jdoe', connection: { method: 'direct-tcp', deadlineMs: 9_000 } }))).not.toThrow();
  });

  it('is refused when it changes a locked field or the locked method, with each named', () => {
    const write = () => assertWritable(lockedCorp, defaultSettings, withCorp({ hostServer: 'elsewhere.example', port: 443, connection: { method: 'automatic' } }));
    expect(write).toThrow(LockedSettingError);
    expect(write).toThrow('Set by your administrator and cannot be changed: communities[0].hostServer, communities[0].port, communities[0].connection.method');
  });

  it("is refused when it removes the user's version of the community", () => {
    expect(() => assertWritable(lockedCorp, withCorp({ username: 'jdoe' }), defaultSettings)).toThrow(
      'Set by your administrator and cannot be changed: community "corp" (removed)',
    );
  });
});
