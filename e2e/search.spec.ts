/**
 * Search (Ctrl+K) in the network lab: alice writes to bob and to carol, and from carol's
 * conversation finds what she wrote to bob; the result opens bob's conversation at that message.
 */
import { expect, test } from './fixtures.js';
import { addLabCommunity, burrowInLab } from './in-lab.js';

test.describe('Searching messages across conversations', () => {
  const inLab = burrowInLab('S1');

  test('finds a message in another conversation and opens it there', async () => {
    const lab = inLab.lab();
    const app = inLab.app();
    const { window } = app;
    const preferences = await app.openPreferences();
    await addLabCommunity(preferences, lab);
    await preferences.getByRole('button', { name: 'OK' }).click();
    await expect(window.getByRole('status', { name: 'Lab chat' })).toContainText('Connected · ', { timeout: 30_000 });

    const [, bob, carol] = lab.accounts;
    if (!bob || !carol) throw new Error('the lab has no accounts for bob and carol');
    const writeTo = async (jid: string, bodies: string[]) => {
      await window.getByRole('button', { name: 'New chat' }).click();
      await window.getByLabel('Chat with').fill(jid);
      await window.getByRole('button', { name: 'Start chat' }).click();
      const composer = window.getByRole('textbox', { name: 'Message' });
      for (const body of bodies) {
        await composer.fill(body);
        await composer.press('Enter');
        await expect(window.getByRole('log', { name: `Messages with ${jid}` }).getByRole('listitem').filter({ hasText: body })).toContainText(/sent|delivered/);
      }
    };
    await writeTo(bob.jid, ['shall we meet in Lisbon on Friday?', 'the tickets are booked']);
    await writeTo(carol.jid, ['hello carol', 'how was the trip?']);

    await window.keyboard.press('Control+K');
    await window.keyboard.type('lisb');
    const found = window.getByRole('list', { name: 'Messages found' }).getByRole('button', { name: /^You to bob@chat\.lab\.test, .*: shall we meet in Lisbon on Friday\?$/ });
    await expect(found).toBeVisible();
    await expect(found.locator('mark')).toHaveText('Lisbon');
    await window.screenshot({ path: test.info().outputPath('search-results.png') });

    await found.click();
    const bobsConversation = window.getByRole('log', { name: `Messages with ${bob.jid}` });
    const opened = bobsConversation.locator('[role="listitem"][aria-current="true"]');
    await expect(opened).toContainText('shall we meet in Lisbon on Friday?');
    await expect(opened).toBeInViewport();
    await expect(bobsConversation.getByRole('listitem').filter({ hasText: 'the tickets are booked' })).toBeVisible();
    await window.screenshot({ path: test.info().outputPath('search-opened-in-context.png') });
  });
});
