/**
 * Avatars between two people, each in their own Burrow, through the network lab on each of its
 * servers: alice chooses a picture with "Choose avatar…" and sees it beside her status; bob sees it
 * in his contacts and in their conversation's header, where her initial was. They are signed in and
 * made contacts through the contract, as `npm run demo` does; screenshots go with the results.
 */
import { crc32, deflateSync } from 'node:zlib';

import type { Locator, Page } from '@playwright/test';

import { serverKinds } from '../lab/lab.js';
import { expect, test } from './fixtures.js';
import { burrowInLab } from './in-lab.js';
import { aliceAndBob, signInAsContacts } from './two-people.js';

/** A 48×48 PNG of one colour, a picture one can see in a screenshot. */
function squarePng([red, green, blue]: [number, number, number]): Buffer {
  const size = 48;
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => [red, green, blue]).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: size }, () => row)));
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

/** A picture that the page has decoded (not merely an <img> with a broken source). */
async function expectPicture(avatar: Locator): Promise<void> {
  const image = avatar.locator('img');
  await expect(image).toHaveAttribute('src', /^blob:/, { timeout: 20_000 });
  await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.complete && element.naturalWidth)).toBe(48);
}

for (const server of serverKinds) {
  test.describe(`Avatars between two people on ${server}`, () => {
    test.describe.configure({ mode: 'serial' });
    const inLab = burrowInLab('S1', { apps: 2, server });

    const people = () => aliceAndBob(inLab);
    const screenshot = (name: string, window: Page, step: string) => window.screenshot({ path: test.info().outputPath(`${server}-${name}-${step}.png`) });

    test('alice and bob are signed in and each other’s contacts, alice shown by her initial', async () => {
      test.setTimeout(90_000);
      const { alice, bob } = people();
      await signInAsContacts(inLab);

      const aliceAtBob = bob.window.getByRole('list', { name: 'Contacts' }).getByRole('button', { name: new RegExp(`^${alice.account.jid}`) });
      await expect(aliceAtBob.locator('.avatar')).toHaveAttribute('data-initial', alice.account.jid.charAt(0).toUpperCase());
      await aliceAtBob.click();
      await expect(bob.window.getByRole('heading', { name: alice.account.jid })).toBeVisible();
    });

    test('alice chooses an avatar: she sees it beside her status, bob in his contacts and their conversation', async () => {
      const { alice, bob } = people();
      const chooser = alice.window.waitForEvent('filechooser');
      await alice.window.getByRole('button', { name: 'Choose avatar…' }).click();
      await (await chooser).setFiles({ name: 'alice.png', mimeType: 'image/png', buffer: squarePng([0xd9, 0x6c, 0x2b]) });
      await expectPicture(alice.window.locator('.own-identity .avatar'));
      await screenshot('alice', alice.window, 'avatar-chosen');

      const aliceAtBob = bob.window.getByRole('list', { name: 'Contacts' }).getByRole('button', { name: new RegExp(`^${alice.account.jid}`) });
      await expectPicture(aliceAtBob.locator('.avatar'));
      await expectPicture(bob.window.locator('.conversation-header .avatar'));
      await screenshot('bob', bob.window, 'sees-alice-avatar');
    });

    test('an image that is not one Burrow takes is refused with a reason', async () => {
      const { alice } = people();
      const chooser = alice.window.waitForEvent('filechooser');
      await alice.window.getByRole('button', { name: 'Choose avatar…' }).click();
      await (await chooser).setFiles({ name: 'drawing.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>') });
      await expect(alice.window.getByRole('alert').filter({ hasText: 'cannot be your avatar' })).toBeVisible();
    });
  });
}
