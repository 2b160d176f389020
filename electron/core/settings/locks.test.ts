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
