import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SettingsValidationError } from '../../common/settings/issues.js';
import { migrateSettings, migrations, UnsupportedVersionError } from './migrations.js';
import { defaultSettings, Settings, SETTINGS_VERSION } from '../../common/settings/schema.js';

const v1Fixture: unknown = JSON.parse(readFileSync(new URL('./fixtures/settings-v1.json', import.meta.url), 'utf8'));

function v1WithProxyUrl(proxyUrl: string) {
  const fixture = structuredClone(v1Fixture) as { connection: { proxyUrl: string } };
  fixture.connection.proxyUrl = proxyUrl;
  return fixture;
}

describe('migrating version 1 settings', () => {
  const migrated = migrateSettings(v1Fixture);

  it('produces a valid current document', () => {
    expect(migrated.fromVersion).toBe(1);
    expect(Settings.safeParse(migrated.document).success).toBe(true);
  });

  it('splits the proxy URL into type, host, port and user name, keeping only values that differ from the defaults', () => {
    expect(migrated.document.connection).toEqual({
      method: 'proxy',
      proxy: { type: 'socks5', resolveThroughProxy: true, host: 'proxy.corp.example', port: 1081, username: 'alice' },
      deadlineMs: 30_000,
    });
  });

  it('lifts the passwords out of the proxy URLs for the secret store', () => {
    expect(migrated.secrets).toEqual({ 'proxy:global:password': 's3cr@t' });
    expect(JSON.stringify(migrated.document)).not.toContain('s3cr');
  });

  it("migrates each community's own connection the same way", () => {
    const [corp, lab] = Settings.parse(migrated.document).communities;
    expect(corp).toMatchObject({ id: 'corp', useGlobalConnection: true, connection: {} });
    expect(lab).toMatchObject({
      id: 'lab',
      port: 5222,
      xmppDomain: 'lab.example',
      useGlobalConnection: false,
      connection: {
        method: 'proxy',
        proxy: { type: 'http', host: 'squid.lab.example', port: 3128 },
        allowUnencrypted: true,
        trustedCaFiles: ['/etc/ssl/lab-ca.pem'],
      },
    });
  });

  it.each([
    ['http://proxy.example', { type: 'http', host: 'proxy.example', port: 80 }],
    ['https://proxy.example', { type: 'https', host: 'proxy.example', port: 443 }],
    ['socks4://proxy.example', { type: 'socks4', host: 'proxy.example', port: 1080, resolveThroughProxy: false }],
    ['socks4a://proxy.example', { type: 'socks4', host: 'proxy.example', port: 1080, resolveThroughProxy: true }],
    ['socks5://[2001:db8::8]:9050', { type: 'socks5', host: '[2001:db8::8]', port: 9050, resolveThroughProxy: false }],
  ])('reads %s with its scheme and default port', (proxyUrl, proxy) => {
    expect(migrateSettings(v1WithProxyUrl(proxyUrl)).document.connection).toMatchObject({ proxy });
  });

  it('drops an empty proxy URL instead of inventing a proxy', () => {
    const fixture = v1WithProxyUrl('');
    expect(migrateSettings(fixture).document.connection).not.toHaveProperty('proxy');
  });

  it('refuses a proxy URL it cannot read, naming the field', () => {
    expect(() => migrateSettings(v1WithProxyUrl('ftp://proxy.example'))).toThrow(/connection\.proxyUrl: cannot be read as a proxy URL/);
  });

  it('refuses a version 1 document of the wrong shape, naming the field', () => {
    const fixture = structuredClone(v1Fixture) as { connection: { deadlineMs: unknown } };
    fixture.connection.deadlineMs = 'soon';
    expect(() => migrateSettings(fixture)).toThrow(SettingsValidationError);
    expect(() => migrateSettings(fixture)).toThrow(/connection\.deadlineMs/);
  });
});

describe('migrating version 2 settings', () => {
  const v2 = { version: 2, connection: { method: 'direct-tcp' }, communities: [{ id: 'lab', displayName: 'Lab', hostServer: 'chat.lab.test' }] };

  it('keeps everything and trusts no certificate yet', () => {
    const migrated = migrateSettings(v2);
    expect(migrated).toEqual({ document: { ...v2, version: SETTINGS_VERSION, trustedCertificates: {}, desktop: {} }, secrets: {}, fromVersion: 2 });
    expect(Settings.safeParse(migrated.document).success).toBe(true);
  });

  it('leaves the document it was given as it was', () => {
    const given = structuredClone(v2);
    migrateSettings(given);
    expect(given).toEqual(v2);
  });
});

describe('migrating version 3 settings', () => {
  const v3 = { version: 3, connection: { method: 'direct-tcp' }, communities: [], trustedCertificates: {} };

  it('keeps everything and leaves every desktop setting to the defaults', () => {
    const migrated = migrateSettings(v3);
    expect(migrated).toEqual({ document: { ...v3, version: 4, desktop: {} }, secrets: {}, fromVersion: 3 });
    expect(Settings.safeParse(migrated.document).success).toBe(true);
  });

  it('starts only from version 3', () => {
    expect(() => migrations[4]?.({ version: 2 })).toThrow(/Cannot migrate version 3 settings/);
  });
});

describe('documents that need no migration or cannot have one', () => {
  it('passes a current document through untouched', () => {
    expect(migrateSettings(defaultSettings)).toEqual({ document: defaultSettings, secrets: {}, fromVersion: SETTINGS_VERSION });
  });

  it('refuses a document from a newer Burrow', () => {
    expect(() => migrateSettings({ version: SETTINGS_VERSION + 1 })).toThrow(UnsupportedVersionError);
  });

  it.each([{}, { version: 'two' }, { version: 0 }, null, []])('refuses %j, which has no version number', (document) => {
    expect(() => migrateSettings(document)).toThrow(/version: must be a settings version number/);
  });
});
