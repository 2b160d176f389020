import { describe, expect, it } from 'vitest';
import { emptyPolicy } from './policy.js';
import type { AdministratorPolicy } from './policy.js';
import { connectionValues, inheritedByUser, overridesFrom, resolveCommunities, resolveConnection } from './resolve.js';
import { builtInConnectionSettings, Community, defaultSettings, Settings } from '../../common/settings/schema.js';

const policy = (fields: Partial<AdministratorPolicy>): AdministratorPolicy => ({ ...emptyPolicy, ...fields });
const community = (fields: Partial<Community> & { id: string }) =>
  Community.parse({ displayName: fields.id, hostServer: `${fields.id}.example`, ...fields });
const settings = (fields: Partial<Settings>) => Settings.parse({ ...defaultSettings, ...fields });

describe('resolving the global connection settings', () => {
  it('takes every value from the built-in defaults when nobody set anything', () => {
    const resolved = resolveConnection(defaultSettings, emptyPolicy);
    expect(resolved.method).toEqual({ value: 'automatic', source: 'default' });
    expect(resolved['proxy.port']).toEqual({ value: 8080, source: 'default' });
    expect(connectionValues(resolved)).toEqual(builtInConnectionSettings);
  });

  it('lets administrator defaults replace built-in defaults, and the user replace both', () => {
    const resolved = resolveConnection(
      settings({ connection: { attemptDelayMs: 100 } }),
      policy({ defaults: { attemptDelayMs: 400, deadlineMs: 30_000, proxy: { host: 'proxy.corp.example' } } }),
    );
    expect(resolved.attemptDelayMs).toEqual({ value: 100, source: 'user' });
    expect(resolved.deadlineMs).toEqual({ value: 30_000, source: 'admin-default' });
    expect(resolved['proxy.host']).toEqual({ value: 'proxy.corp.example', source: 'admin-default' });
    expect(resolved['proxy.port']).toEqual({ value: 8080, source: 'default' });
  });

  it('lets administrator locks win over the user', () => {
    const resolved = resolveConnection(settings({ connection: { method: 'direct-http' } }), policy({ locked: { method: 'proxy' } }));
    expect(resolved.method).toEqual({ value: 'proxy', source: 'admin-locked' });
  });
});

describe("resolving a community's connection settings", () => {
  const user = settings({
    connection: { method: 'direct-tcp', proxy: { host: 'proxy.home.example' } },
    communities: [
      community({ id: 'global' }),
      community({ id: 'own', useGlobalConnection: false, connection: { method: 'proxy', proxy: { type: 'socks5', port: 1080 } } }),
    ],
  });

  it('uses the global settings while "Use global connection settings" is on', () => {
    const resolved = resolveConnection(user, emptyPolicy, 'global');
    expect(resolved.method).toEqual({ value: 'direct-tcp', source: 'user' });
  });

  it("uses the community's own values when it is off, inheriting the rest", () => {
    const resolved = resolveConnection(user, emptyPolicy, 'own');
    expect(resolved.method).toEqual({ value: 'proxy', source: 'community' });
    expect(resolved['proxy.type']).toEqual({ value: 'socks5', source: 'community' });
    expect(resolved['proxy.port']).toEqual({ value: 1080, source: 'community' });
    expect(resolved['proxy.host']).toEqual({ value: 'proxy.home.example', source: 'user' });
  });

  it("lets administrator locks win over a community's own values", () => {
    const resolved = resolveConnection(user, policy({ locked: { proxy: { type: 'http' } } }), 'own');
    expect(resolved['proxy.type']).toEqual({ value: 'http', source: 'admin-locked' });
    expect(resolved.method).toEqual({ value: 'proxy', source: 'community' });
  });

  it('resolves a community that only the policy defines', () => {
    const fromPolicy = policy({ communities: [community({ id: 'corp', useGlobalConnection: false, connection: { method: 'direct-http' } })] });
    expect(resolveConnection(defaultSettings, fromPolicy, 'corp').method).toEqual({ value: 'direct-http', source: 'community' });
  });

  it('refuses an unknown community', () => {
    expect(() => resolveConnection(defaultSettings, emptyPolicy, 'nowhere')).toThrow('There is no community "nowhere"');
  });
});

describe('the list of communities', () => {
  it("puts the policy's communities first and lets the user's edit of one replace it", () => {
    const corp = community({ id: 'corp' });
    const resolved = resolveCommunities(
      settings({ communities: [community({ id: 'mine' }), { ...corp, username: 'alice' }] }),
      policy({ communities: [corp, community({ id: 'partners' })] }),
    );
    expect(resolved.map(({ community: { id, username }, source }) => [id, username, source])).toEqual([
      ['corp', 'alice', 'user'],
      ['partners', '', 'admin-default'],
      ['mine', '', 'user'],
    ]);
  });
});

describe('what to store from a Preferences form', () => {
  it('keeps only the values that differ from what the user would inherit, and none that are locked', () => {
    const administrator = policy({ defaults: { method: 'direct-tcp' }, locked: { deadlineMs: 10_000 } });
    const form = { ...builtInConnectionSettings, method: 'direct-tcp' as const, attemptDelayMs: 100, deadlineMs: 10_000, proxy: { ...builtInConnectionSettings.proxy, port: 3128 } };
    expect(overridesFrom(form, inheritedByUser(administrator), administrator)).toEqual({ attemptDelayMs: 100, proxy: { port: 3128 } });
  });
});

describe('a community the administrator locked', () => {
  const corp = community({ id: 'corp', hostServer: 'chat.corp.example', port: 5222, connection: { method: 'proxy', proxy: { host: 'proxy.corp.example' } } });
  const lockedCorp = policy({
    communities: [corp],
    communityLocks: { corp: { fields: ['hostServer', 'port', 'xmppDomain'], connection: { method: 'proxy', proxy: { host: 'proxy.corp.example' } } } },
    locked: { method: 'automatic' },
  });

  it("keeps its locked fields as the policy says in the user's edited version, and the user's own values for the rest", () => {
    const edited = settings({ communities: [{ ...corp, hostServer: 'elsewhere.example', port: 443, xmppDomain: 'elsewhere.example', username: 'jdoe' }] });
    expect(resolveCommunities(edited, lockedCorp)).toEqual([{ community: { ...corp, username: 'jdoe' }, source: 'user' }]);
  });

  it('uses its locked method and proxy whether or not it uses the global settings, over the global locks', () => {
    const resolved = resolveConnection(settings({ connection: { method: 'direct-tcp' } }), lockedCorp, 'corp');
    expect(resolved.method).toEqual({ value: 'proxy', source: 'admin-locked' });
    expect(resolved['proxy.host']).toEqual({ value: 'proxy.corp.example', source: 'admin-locked' });
    expect(resolveConnection(defaultSettings, lockedCorp).method).toEqual({ value: 'automatic', source: 'admin-locked' });
  });
});
