import path from 'node:path';
import { expect, test } from './fixtures.js';
import { projectRoot } from './launch.js';

// The example an administrator starts from: one community, the connection method locked.
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
  await expect(preferences.getByText('Set by your administrator').first()).toBeVisible();
  await preferences.screenshot({ path: testInfo.outputPath('policy-method-locked.png') });

  await preferences.getByRole('tab', { name: 'Server Communities' }).click();
  await preferences.getByRole('tab', { name: 'Connection', exact: true }).click();
  await preferences.getByLabel('Use global connection settings').uncheck();
  await expect(preferences.getByRole('radio', { name: 'Use proxy' })).toBeDisabled();
  await preferences.screenshot({ path: testInfo.outputPath('policy-community-method-locked.png') });
});
