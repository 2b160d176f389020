import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Community } from '../common/settings/schema.js';
import type { ConnectionTestResult, SettingsView } from '../contract/contract.js';
import { dispatch } from '../contract/validate.js';
import { fingerprintOf } from './connection/testing/certificate-fixtures.js';
import { startFakeXmppServer, testCertificate } from './connection/testing/fake-xmpp-server.js';
import type { FakeXmppServer } from './connection/testing/fake-xmpp-server.js';
import { createCore, type Core } from './core.js';
import { emptyPolicy, type AdministratorPolicy } from './settings/policy.js';
import { MemorySecretStore } from './settings/secrets.js';

const FINGERPRINT = fingerprintOf(testCertificate);

let dir: string;
let server: FakeXmppServer;
let core: Core;

async function startCore(policy: AdministratorPolicy = emptyPolicy, xmppDomain = 'localhost') {
  core = await createCore({ dataDir: path.join(dir, 'data'), mode: 'browser', version: '1.0.0', secrets: new MemorySecretStore(), policy, autoConnect: false });
  const community: Community = {
    id: 'lab',
    displayName: 'Lab',
    hostServer: `xmpps://localhost:${server.port}`,
    xmppDomain,
    username: '',
    useGlobalConnection: true,
    connection: {},
  };
  core.settings.store.write({ ...core.settings.store.read(), communities: [community] });
}

async function request(channel: string, payload?: unknown) {
  return dispatch(core.handlers, channel, payload);
}

async function testConnection(): Promise<ConnectionTestResult> {
  const outcome = await request('connection:test', { communityId: 'lab' });
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.value as ConnectionTestResult;
}

const trust = (fingerprint256 = FINGERPRINT) => request('certificates:trust', { communityId: 'lab', fingerprint256 });

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'burrow-certificate-trust-'));
  server = await startFakeXmppServer({ mode: 'direct-tls' });
});

afterEach(async () => {
  await core.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** The certificate the first attempt refused, as Test connection shows it. */
function refusedCertificate({ attempts }: ConnectionTestResult) {
  const cause = attempts[0]?.cause;
  return cause?.kind === 'certificate' ? cause.certificate : undefined;
}

describe('trusting a certificate', () => {
  it('shows the refused certificate, then, once trusted, connects to exactly that server', async () => {
    await startCore();
    const refused = await testConnection();
    expect(refused.connected).toBe(false);
    expect(refusedCertificate(refused)).toMatchObject({ fingerprint256: FINGERPRINT, problems: ['self-signed'] });

    const trusted = await trust();
    expect(trusted).toMatchObject({ ok: true });
    expect((trusted as { value: SettingsView }).value.settings.trustedCertificates).toEqual({
      lab: [{ fingerprint256: FINGERPRINT, subject: 'CN=localhost, O=Burrow test fixture', expectedName: 'localhost', notAfter: '2126-10-29T21:30:50.000Z', trustedAt: expect.any(String) }],
    });
    expect((await testConnection()).connected).toBe(true);
  });

  it('refuses a fingerprint no connection was refused with', async () => {
    await startCore();
    await testConnection();
    const other = FINGERPRINT.replace(/^../, FINGERPRINT.startsWith('00') ? '11' : '00');
    expect(await trust(other)).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/test the connection again$/) } });
  });

  it('refuses a certificate for another name, which still fails with its own cause', async () => {
    await startCore(emptyPolicy, 'chat.lab.test');
    const refused = await testConnection();
    expect(refusedCertificate(refused)?.problems).toEqual(['self-signed', 'name-mismatch']);
    expect(await trust()).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/^This certificate cannot be trusted: the certificate of chat\.lab\.test is self-signed and not trusted and is for localhost/) } });
  });

  it('is refused, and not applied, where the administrator forbids it', async () => {
    await startCore({ ...emptyPolicy, allowCertificateTrust: false });
    await testConnection();
    expect(await trust()).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringMatching(/^Set by your administrator/) } });
    const view = (await request('settings:get')) as { value: SettingsView };
    expect(view.value.certificateTrustAllowed).toBe(false);

    // Trusted before the administrator forbade it: ignored.
    core.settings.store.write({ ...core.settings.store.read(), trustedCertificates: { lab: [{ fingerprint256: FINGERPRINT, subject: 'CN=localhost', expectedName: 'localhost', notAfter: '2126-10-29T21:30:50.000Z', trustedAt: '2026-12-01T00:00:00.000Z' }] } });
    expect((await testConnection()).connected).toBe(false);
  });

  it('cannot be done, nor undone, by saving settings; only forgetting it removes it', async () => {
    await startCore();
    await testConnection();
    await trust();
    const stored = core.settings.store.read();
    const saved = await request('settings:save', { settings: { ...stored, trustedCertificates: {} } });
    expect((saved as { value: SettingsView }).value.settings.trustedCertificates).toEqual(stored.trustedCertificates);

    const forgotten = await request('certificates:forget', { communityId: 'lab', fingerprint256: FINGERPRINT });
    expect((forgotten as { value: SettingsView }).value.settings.trustedCertificates).toEqual({});
    expect((await testConnection()).connected).toBe(false);

    const smuggled = { ...stored, trustedCertificates: { lab: stored.trustedCertificates.lab ?? [] } };
    const resaved = await request('settings:save', { settings: smuggled });
    expect((resaved as { value: SettingsView }).value.settings.trustedCertificates).toEqual({});
  });
});
