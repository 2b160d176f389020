/**
 * Preferences › Test connection against the network lab (LAB.md S3: 5222 and 5223 black-holed):
 * Burrow's host and the browser both run inside the lab's client namespace, as a user behind
 * that firewall would.
 */
import { readFile } from 'node:fs/promises';

import { expect, test } from './fixtures.js';
import { burrowInLab } from './in-lab.js';

test.describe('Test connection in the network lab', () => {
  const inLab = burrowInLab('S3');

  test('shows every attempt live, then the winning path and the signed-in account', async () => {
    const lab = inLab.lab();
    const app = inLab.app();
    const [alice] = lab.accounts;
    const preferences = await app.openPreferences();
    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    await preferences.getByLabel('Additional trusted CA (PEM)').fill(await readFile(lab.caFile, 'utf8'));
    await preferences.getByRole('tab', { name: 'Server Communities' }).click();
    await preferences.getByRole('button', { name: 'Add community' }).click();
    await preferences.getByLabel('Display name').fill('Lab chat');
    await preferences.getByLabel('Host server').fill(lab.domain);
    await preferences.getByLabel('User name').fill(alice!.username);
    await preferences.getByLabel('Password', { exact: true }).fill(alice!.password);
    const testButton = preferences.getByRole('button', { name: 'Test connection' });
    await expect(testButton).toBeDisabled();
    await preferences.getByRole('button', { name: 'Apply' }).click();
    await expect(testButton).toBeEnabled();

    await testButton.click();
    const attempts = preferences.getByRole('log', { name: 'Connection attempts' });
    await expect(attempts.getByRole('listitem').first()).toBeVisible();
    const result = preferences.getByRole('status').filter({ hasText: 'Connected in' });
    await expect(result).toContainText(`signed in as ${alice!.username}@${lab.domain}`, { timeout: 30_000 });
    await expect(result).toContainText(':443');
    await expect(attempts).toContainText('xmpps://chat.lab.test:5223');
    await expect(attempts).toContainText('no answer from chat.lab.test:5223');
    await expect(attempts.getByRole('listitem').filter({ hasText: 'connected' })).toHaveCount(1);
    await attempts.scrollIntoViewIfNeeded();
    await preferences.screenshot({ path: test.info().outputPath('test-connection.png') });
  });
});
