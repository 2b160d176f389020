/**
 * Typing notifications (XEP-0085) and corrections (XEP-0308) between two people, each in their own
 * Burrow, through the network lab on each of its servers: bob types and alice sees "Bob is
 * typing…", which clears when he empties the box and when his message comes; alice corrects her
 * last message (Up in the empty box, and Edit) and both see the new text marked "edited", the old
 * one gone. They are signed in and made contacts through the contract, with the requests
 * Preferences and the contact forms make (as `npm run demo` does); screenshots of each step go with
 * the test's results.
 */

import type { Page } from '@playwright/test';

import { serverKinds } from '../lab/lab.js';
import { expect, test } from './fixtures.js';
import { burrowInLab } from './in-lab.js';
import { aliceAndBob, signInAsContacts } from './two-people.js';

for (const server of serverKinds) {
  test.describe(`Typing and corrections between two people on ${server}`, () => {
    test.describe.configure({ mode: 'serial' });
    const inLab = burrowInLab('S1', { apps: 2, server });

    const people = () => aliceAndBob(inLab);
    const screenshot = (name: string, window: Page, step: string) => window.screenshot({ path: test.info().outputPath(`${server}-${name}-${step}.png`) });
    const composer = (window: Page) => window.getByRole('textbox', { name: 'Message' });
    const messageItem = (window: Page, title: string, body: string) =>
      window.getByRole('log', { name: `Messages with ${title}` }).getByRole('listitem').filter({ hasText: body });

    test('alice and bob are signed in, each other’s contacts, in their conversation', async () => {
      test.setTimeout(90_000);
      const { lab, alice, bob } = people();
      const { atAlice } = await signInAsContacts(inLab);
      await atAlice.client.invoke('roster:rename', { communityId: lab.domain, jid: bob.account.jid, name: 'Bob' });

      await alice.window.getByRole('list', { name: 'Contacts' }).getByRole('button', { name: /^Bob/ }).click();
      await bob.window.getByRole('list', { name: 'Contacts' }).getByRole('button', { name: new RegExp(`^${alice.account.jid}`) }).click();
      await expect(alice.window.getByRole('heading', { name: 'Bob' })).toBeVisible();
      await expect(bob.window.getByRole('heading', { name: alice.account.jid })).toBeVisible();
    });

    test('bob types: alice sees “Bob is typing…”, gone when he empties the box and when his message comes', async () => {
      const { alice, bob } = people();
      const typing = alice.window.getByText('Bob is typing…');

      await composer(bob.window).fill('hang on');
      await expect(typing).toBeVisible({ timeout: 10_000 });
      await screenshot('alice', alice.window, 'bob-is-typing');
      await composer(bob.window).fill('');
      await expect(typing).toBeHidden({ timeout: 10_000 });

      await composer(bob.window).fill('running late, sorry');
      await expect(typing).toBeVisible({ timeout: 10_000 });
      await composer(bob.window).press('Enter');
      await expect(messageItem(alice.window, 'Bob', 'running late, sorry')).toBeVisible({ timeout: 10_000 });
      await expect(typing).toBeHidden();
      await screenshot('alice', alice.window, 'bob-sent');
    });

    test('alice corrects her last message, with Up and with Edit: both see the new text, marked edited', async () => {
      const { alice, bob } = people();
      await composer(alice.window).fill('See you at 6');
      await composer(alice.window).press('Enter');
      await expect(messageItem(bob.window, alice.account.jid, 'See you at 6')).toBeVisible({ timeout: 10_000 });

      // Up in the empty box brings the last message back; Enter replaces it.
      await composer(alice.window).press('ArrowUp');
      await expect(composer(alice.window)).toHaveValue('See you at 6');
      await screenshot('alice', alice.window, 'correcting');
      await composer(alice.window).fill('See you at 7');
      await composer(alice.window).press('Enter');
      for (const [window, title] of [
        [alice.window, 'Bob'],
        [bob.window, alice.account.jid],
      ] as const) {
        await expect(messageItem(window, title, 'See you at 7')).toContainText('edited', { timeout: 10_000 });
        await expect(messageItem(window, title, 'See you at 6')).toHaveCount(0);
      }
      await screenshot('alice', alice.window, 'corrected');
      await screenshot('bob', bob.window, 'corrected');

      // Edit on the last message does the same.
      await messageItem(alice.window, 'Bob', 'See you at 7').getByRole('button', { name: 'Edit' }).click();
      await expect(composer(alice.window)).toHaveValue('See you at 7');
      await composer(alice.window).fill('See you at 8');
      await composer(alice.window).press('Enter');
      await expect(messageItem(bob.window, alice.account.jid, 'See you at 8')).toContainText('edited', { timeout: 10_000 });
      await expect(messageItem(bob.window, alice.account.jid, 'See you at')).toHaveCount(1);
      await screenshot('bob', bob.window, 'corrected-again');
    });
  });
}
