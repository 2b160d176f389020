/**
 * The chat window against the real core and the network lab (LAB.md S1, an open network):
 * the first-run flow signs alice in, a second community signs bob in on the same server, and
 * the two chat in one window — contact request, presence, messages and their states.
 */
import { readFile } from 'node:fs/promises';

import { expect, test } from './fixtures.js';
import { burrowInLab } from './in-lab.js';

test.describe('The chat window in the network lab', () => {
  const inLab = burrowInLab('S1');

  test('first run signs in; two accounts add each other and chat, with states and unread counts', async () => {
    const lab = inLab.lab();
    const app = inLab.app();
    test.setTimeout(120_000);
    const [alice, bob] = lab.accounts;
    const { window } = app;

    // The lab's certificate authority is not in the system store: trust it in Preferences first.
    const preferences = await app.openPreferences();
    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    await preferences.getByLabel('Additional trusted CA (PEM)').fill(await readFile(lab.caFile, 'utf8'));
    await preferences.getByRole('button', { name: 'OK' }).click();

    // First run: host, user name, password; the rest Automatic.
    const firstRun = window.getByRole('form', { name: 'Add your server community' });
    await firstRun.getByLabel('Host server').fill(lab.domain);
    await firstRun.getByLabel('User name').fill(alice!.username);
    await firstRun.getByLabel('Password').fill(alice!.password);
    await firstRun.getByRole('button', { name: 'Connect' }).click();
    const aliceBanner = window.getByRole('status', { name: lab.domain });
    await expect(aliceBanner).toContainText('Connected · ', { timeout: 30_000 });
    await window.screenshot({ path: test.info().outputPath('first-run-connected.png') });
    await window.getByRole('button', { name: 'Start chatting' }).click();
    await expect(window.getByRole('list', { name: 'Contacts' })).toBeVisible();

    // A second community on the same server, for bob.
    const more = await app.openPreferences();
    await more.getByRole('button', { name: 'Add community' }).click();
    await more.getByLabel('Display name').fill('Bob side');
    await more.getByLabel('Host server').fill(lab.domain);
    await more.getByLabel('User name').fill(bob!.username);
    await more.getByLabel('Password', { exact: true }).fill(bob!.password);
    await more.getByRole('button', { name: 'OK' }).click();
    const bobBanner = window.getByRole('status', { name: 'Bob side' });
    await expect(bobBanner).toContainText('Connected · ', { timeout: 30_000 });

    // alice asks to see bob's presence; bob accepts.
    await window.getByRole('button', { name: 'Add contact' }).click();
    const addContact = window.getByRole('form', { name: 'Add contact' });
    await addContact.getByLabel('Community').selectOption({ label: lab.domain });
    await addContact.getByLabel('Contact address').fill(bob!.jid);
    await addContact.getByLabel('Name (optional)').fill('Bob');
    await addContact.getByLabel('Group (optional)').fill('Lab friends');
    await addContact.getByRole('button', { name: 'Add contact' }).click();
    await window.getByRole('button', { name: `Accept ${alice!.jid}` }).click({ timeout: 15_000 });
    const bobContact = window.getByRole('list', { name: 'Contacts' }).getByRole('button', { name: /^Bob/ });
    await expect(bobContact).toContainText('Available', { timeout: 15_000 });

    // alice writes; the message is sent, then delivered; bob sees it unread.
    await bobContact.click();
    const composer = window.getByRole('textbox', { name: 'Message' });
    await composer.fill('hello bob, see https://example.test/');
    await composer.press('Enter');
    const sent = window.getByRole('log', { name: 'Messages with Bob' }).getByRole('listitem').filter({ hasText: 'hello bob' });
    await expect(sent).toContainText(/sent|delivered/, { timeout: 15_000 });
    await expect(sent.getByRole('link', { name: 'https://example.test/' })).toBeVisible();
    await expect(window.getByRole('separator', { name: 'Today' })).toBeVisible();
    const aliceForBob = window.getByRole('list', { name: 'Contacts' }).getByRole('button', { name: new RegExp(alice!.jid.replace('.', '\\.')) });
    await expect(aliceForBob).toContainText('1 unread', { timeout: 15_000 });
    await expect(sent).toContainText('delivered', { timeout: 15_000 });
    await window.screenshot({ path: test.info().outputPath('chat.png') });

    // bob opens it (read), answers; alice's side gets it.
    await aliceForBob.click();
    await expect(window.getByRole('log').getByRole('listitem').filter({ hasText: 'hello bob' })).toBeVisible();
    await expect(aliceForBob).not.toContainText('unread');
    await composer.fill('hi alice');
    await composer.press('Enter');
    await bobContact.click();
    await expect(window.getByRole('log').getByRole('listitem').filter({ hasText: 'hi alice' })).toBeVisible({ timeout: 15_000 });
  });
});
