import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { fieldIssues } from './issues.js';
import { builtInConnectionSettings, Community, ConnectionSettings, defaultSettings, Settings, SETTINGS_VERSION, settingsJsonSchema } from './schema.js';

function issuesOf(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  return result.success ? [] : fieldIssues(result.error);
}

const community = { id: 'corp', displayName: 'Corp chat', hostServer: 'chat.example.com' };

describe('connection settings', () => {
  it('has built-in defaults that are valid: automatic, encrypted only, 250 ms stagger, 20 s deadline', () => {
    expect(ConnectionSettings.parse(builtInConnectionSettings)).toMatchObject({
      method: 'automatic',
      allowUnencrypted: false,
      attemptDelayMs: 250,
      deadlineMs: 20_000,
    });
  });

  it('requires a proxy host for "Use proxy", naming the field', () => {
    expect(issuesOf(ConnectionSettings, { ...builtInConnectionSettings, method: 'proxy' })).toEqual([
      { path: 'proxy.host', message: 'is required for "Use proxy"' },
    ]);
  });

  it('lets the proxy host stay empty for every other method', () => {
    expect(issuesOf(ConnectionSettings, { ...builtInConnectionSettings, method: 'system-proxy' })).toEqual([]);
  });

  it('names the field of a bad proxy port and a bad proxy host', () => {
    const proxy = { ...builtInConnectionSettings.proxy, host: 'proxy corp', port: 70000 };
    expect(issuesOf(ConnectionSettings, { ...builtInConnectionSettings, proxy }).map((issue) => issue.path)).toEqual([
      'proxy.host',
      'proxy.port',
    ]);
  });

  it.each(['http://proxy.example.com:3128', 'socks5://alice@proxy.example.com:1080', 'proxy.example.com:3128'])(
    'says where the parts of a proxy typed as %s go, instead of only what a host is',
    (host) => {
      const proxy = { ...builtInConnectionSettings.proxy, host };
      expect(issuesOf(ConnectionSettings, { ...builtInConnectionSettings, proxy })).toEqual([
        { path: 'proxy.host', message: 'must be the host name alone, e.g. proxy.example.com: the port goes in Proxy port, the type in Proxy type' },
      ]);
    },
  );

  it('asks for brackets around a proxy host that is an IPv6 address, as for any host', () => {
    const proxy = { ...builtInConnectionSettings.proxy, host: '2001:db8::1' };
    expect(issuesOf(ConnectionSettings, { ...builtInConnectionSettings, proxy })[0]?.message).toMatch(/in brackets/);
  });

  it('has no place for a proxy password: secrets live in the secret store', () => {
    const proxy = { ...builtInConnectionSettings.proxy, password: 'hunter2' };
    expect(issuesOf(ConnectionSettings, { ...builtInConnectionSettings, proxy })).toEqual([
      { path: 'proxy', message: 'Unrecognized key: "password"' },
    ]);
  });

  it('accepts pasted PEM certificates and rejects other text', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n';
    expect(issuesOf(ConnectionSettings, { ...builtInConnectionSettings, trustedCaPem: pem })).toEqual([]);
    expect(issuesOf(ConnectionSettings, { ...builtInConnectionSettings, trustedCaPem: 'my CA' })[0]?.path).toBe('trustedCaPem');
  });

  it('takes a PAC URL over http, https or file only', () => {
    expect(issuesOf(ConnectionSettings, { ...builtInConnectionSettings, pacUrl: 'http://wpad/wpad.dat' })).toEqual([]);
    expect(issuesOf(ConnectionSettings, { ...builtInConnectionSettings, pacUrl: 'wpad.dat' })[0]?.path).toBe('pacUrl');
  });
});

describe('communities', () => {
  it('fills in user name, "Use global connection settings" and an empty connection override', () => {
    expect(Community.parse(community)).toEqual({ ...community, username: '', useGlobalConnection: true, connection: {} });
  });

  it.each([
    [{ port: 0 }, 'port'],
    [{ port: 65536 }, 'port'],
    [{ port: 5222.5 }, 'port'],
    [{ hostServer: 'chat.example.com:5222' }, 'hostServer'],
    [{ hostServer: 'ftp://chat.example.com' }, 'hostServer'],
    [{ xmppDomain: 'example com' }, 'xmppDomain'],
    [{ displayName: '  ' }, 'displayName'],
    [{ id: 'a:b' }, 'id'],
    [{ connection: { proxy: { port: 0 } } }, 'connection.proxy.port'],
  ])('rejects %j at %s', (change, path) => {
    expect(issuesOf(Community, { ...community, ...change }).map((issue) => issue.path)).toEqual([path]);
  });

  it('takes an address URL as host server, with its port given in one place only', () => {
    expect(issuesOf(Community, { ...community, hostServer: 'wss://chat.example.com/xmpp-websocket', port: 443 })).toEqual([]);
    expect(issuesOf(Community, { ...community, hostServer: 'xmpps://[2001:db8::1]:5223' })).toEqual([]);
    expect(issuesOf(Community, { ...community, hostServer: 'xmpps://chat.example.com:5223', port: 5223 })).toEqual([
      { path: 'port', message: 'is already given in the host server address; give it in one place' },
    ]);
  });

  it('refuses two communities with the same id', () => {
    const document = { ...defaultSettings, communities: [community, { ...community, displayName: 'Copy' }] };
    expect(issuesOf(Settings, document)).toEqual([{ path: 'communities[1].id', message: '"corp" is used by another community' }]);
  });
});

describe('the settings document', () => {
  it('stores only what the user set, so the defaults document is nearly empty', () => {
    expect(Settings.parse({ version: SETTINGS_VERSION })).toEqual(defaultSettings);
  });

  it('refuses another version, which must go through migrations first', () => {
    expect(issuesOf(Settings, { version: 1 })[0]?.path).toBe('version');
  });

  it('is also available as JSON Schema for conf / electron-store', () => {
    expect(settingsJsonSchema).toMatchObject({
      type: 'object',
      required: ['version', 'connection', 'communities', 'trustedCertificates', 'desktop'],
      additionalProperties: false,
      properties: { version: { const: SETTINGS_VERSION } },
    });
  });
});
