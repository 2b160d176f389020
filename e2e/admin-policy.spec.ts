import type { Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import path from 'node:path';
import { invokeOverSocket } from './contract-socket.js';
import { expect, test } from './fixtures.js';
import { burrowInLab } from './in-lab.js';
import { projectRoot } from './launch.js';

const lockedNote = 'Set by your administrator';

test.describe('the example policy', () => {
  // The example an administrator starts from: one community, locked, the connection method locked too.
  test.use({ burrowPolicyFile: path.join(projectRoot, 'assets/policy.example.json') });

  test('a policy community is there on first start and its locked method cannot be changed', async ({ burrowApp }, testInfo) => {
    const preferences = await burrowApp.openPreferences();
    await expect(preferences.getByRole('option', { name: 'Example Corp chat' })).toBeVisible();
    await expect(preferences.getByLabel('Host server')).toHaveValue('chat.example.com');

    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    for (const method of ['Automatic (recommended)', 'Direct connection using TCP/IP', 'Use proxy']) {
      await expect(preferences.getByRole('radio', { name: method })).toBeDisabled();
    }
    await expect(preferences.getByRole('radio', { name: 'Automatic (recommended)' })).toBeChecked();
    await expect(preferences.getByText(lockedNote).first()).toBeVisible();
    await preferences.screenshot({ path: testInfo.outputPath('policy-method-locked.png') });

    await preferences.getByRole('tab', { name: 'Server Communities' }).click();
    await preferences.getByRole('tab', { name: 'Connection', exact: true }).click();
    await preferences.getByLabel('Use global connection settings').uncheck();
    await expect(preferences.getByRole('radio', { name: 'Use proxy' })).toBeDisabled();
    await preferences.screenshot({ path: testInfo.outputPath('policy-community-method-locked.png') });
  });
});

test.describe('a community the administrator locked', () => {
  const policyFile = path.join(projectRoot, 'e2e/fixtures/locked-community-policy.json');
  test.use({ burrowPolicyFile: policyFile });

  async function policyCommunity(): Promise<Record<string, unknown>> {
    const policy = JSON.parse(await readFile(policyFile, 'utf8')) as { communities: Record<string, unknown>[] };
    return policy.communities[0] ?? {};
  }

  async function expectLocked(preferences: Page, label: string): Promise<void> {
    const control = preferences.getByLabel(label, { exact: true });
    await expect(control).toBeDisabled();
    await expect(control).toHaveAccessibleDescription(lockedNote);
  }

  test('shows its fields disabled with "Set by your administrator", leaves the user name open, and cannot be removed', async ({ burrowApp }, testInfo) => {
    const preferences = await burrowApp.openPreferences();
    await expect(preferences.getByRole('option', { name: 'Corp chat' })).toBeVisible();
    for (const label of ['Host server', 'Server community port', 'XMPP domain']) await expectLocked(preferences, label);
    await expect(preferences.getByLabel('Server community port')).toHaveValue('5223');
    const username = preferences.getByLabel('User name', { exact: true });
    await expect(username).toBeEnabled();
    await expect(username).toHaveValue(userInfo().username);
    await expect(preferences.getByRole('button', { name: 'Remove' })).toBeDisabled();
    await preferences.screenshot({ path: testInfo.outputPath('locked-community-server.png') });

    await preferences.getByRole('tab', { name: 'Connection', exact: true }).click();
    await expect(preferences.getByRole('radio', { name: 'Use proxy' })).toBeChecked();
    await expect(preferences.getByRole('radio', { name: 'Automatic (recommended)' })).toBeDisabled();
    for (const label of ['Proxy host', 'Proxy port']) await expectLocked(preferences, label);
    await expect(preferences.getByLabel('Proxy host', { exact: true })).toHaveValue('proxy.corp.example');
    await preferences.screenshot({ path: testInfo.outputPath('locked-community-connection.png') });

    // Once the user's own version of it is saved, it still cannot be removed.
    await preferences.getByRole('tab', { name: 'Server', exact: true }).click();
    await username.fill('jdoe');
    const apply = preferences.getByRole('button', { name: 'Apply' });
    await apply.click();
    await expect(apply).toBeDisabled();
    await expect(preferences.getByRole('button', { name: 'Remove' })).toBeDisabled();
  });

  test('refuses a write through the contract that re-points it or removes it', async ({ burrowApp }) => {
    const preferences = await burrowApp.openPreferences();
    await expect(preferences.getByLabel('Host server')).toHaveValue('chat.corp.example');
    // The policy's community as the user's own version of it, with the user name filled in.
    const { locked: _locked, ...fromPolicy } = await policyCommunity();
    const community = { ...fromPolicy, username: 'jdoe', useGlobalConnection: true };
    const save = (communities: unknown[]) => invokeOverSocket(preferences, 'settings:save', { settings: { version: 4, connection: {}, communities, trustedCertificates: {}, desktop: {} }, passwords: [] });

    expect(await save([{ ...community, hostServer: 'chat.elsewhere.example', connection: { method: 'automatic' } }])).toMatchObject({
      ok: false,
      error: { code: 'forbidden', message: expect.stringContaining(`${lockedNote} and cannot be changed: communities[0].hostServer, communities[0].connection.method`) },
    });
    expect(await save([community])).toMatchObject({ ok: true });
    expect(await save([])).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('community "corp" (removed)') } });
    await expect(preferences.getByLabel('Host server')).toHaveValue('chat.corp.example');
  });
});

test.describe('the first run under a policy', () => {
  // The lab's community, locked, the user name taken from the operating-system login: the lab has an account of that name.
  const inLab = burrowInLab('S1', {
    policy: (lab) => ({
      version: 2,
      communities: [{ id: 'lab', displayName: 'Lab chat', hostServer: lab.domain, username: { fromOsLogin: true }, locked: true }],
      trustedCaFiles: [lab.caFile],
    }),
  });

  test('asks only for the password, and connects', async () => {
    const { window } = inLab.app();
    const account = inLab.lab().osLoginAccount;
    await expect(window.getByText(`Your administrator set up Lab chat (${inLab.lab().domain}) for you. Enter the password of ${userInfo().username} to sign in.`)).toBeVisible();
    const form = window.getByRole('form', { name: 'Sign in to Lab chat' });
    // The password is the one field asked for.
    await expect(form.getByRole('textbox')).toHaveCount(1);
    await expect(form.getByRole('textbox')).toHaveAccessibleName('Password');
    await form.getByLabel('Password').fill(account.password);
    await form.getByRole('button', { name: 'Connect' }).click();
    await expect(window.getByText(`You are signed in as ${account.jid}`)).toBeVisible({ timeout: 30_000 });
    await window.screenshot({ path: test.info().outputPath('first-run-policy-connected.png') });
  });
});
