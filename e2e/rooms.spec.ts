/**
 * A room (XEP-0045) through the network lab, each person in their own Burrow: Alice makes a room,
 * Bob finds it in the server's list of rooms and enters it, both see who is in; a message that
 * names Bob is marked and notifies him (the page's notifications are recorded in his page, with
 * his window in the background), and one that does not name him does not. Bob writes to Alice
 * privately from the room's occupants, and she answers there, apart from the room. Then the lab black-holes
 * 5222 and 5223 while they write: once both are back over 443, every message is in each room
 * view once, in the order it was written.
 */
import type { Locator } from '@playwright/test';

import { expect, test } from './fixtures.js';
import { burrowInLab } from './in-lab.js';
import { aliceAndBob, banner, escapeRegExp, screenshot, send, signInEachFirst, type Person } from './lab-people.js';

const roomLocalPart = `lab-${Date.now().toString(36)}`;
const over443 = /^Connected · (WebSocket|BOSH) over HTTPS, no proxy$/;
/** The keepalive notices the dead path within ~15 s; a new race, and a sign-in that may stall once. */
const reconnectTimeout = 60_000;

const duringCut = { alice: ['alice while cut 1', 'alice while cut 2'], bob: ['bob while cut 1'] };
const afterCut = { alice: 'alice back over 443', bob: 'bob back over 443' };

test.describe('A room through the network lab', () => {
  test.describe.configure({ mode: 'serial' });
  const inLab = burrowInLab('S12', { apps: 2 });

  const people = () => aliceAndBob(inLab);

  const roomLog = ({ window }: Person) => window.getByRole('log', { name: `Messages with ${roomLocalPart}` });
  const occupants = ({ window }: Person) => window.getByRole('list', { name: /^Occupants/ });
  const itemsWith = (log: Locator, bodies: readonly string[]) => log.getByRole('listitem').filter({ hasText: new RegExp(bodies.map(escapeRegExp).join('|')) });

  /** From now on the page's desktop notifications are recorded, as if allowed, with the window in the background. */
  async function recordNotifications({ window }: Person): Promise<() => Promise<{ title: string; body: string }[]>> {
    await window.evaluate(() => {
      const shown: { title: string; body: string }[] = [];
      class RecordedNotification {
        static permission = 'granted';
        onclick: (() => void) | null = null;
        constructor(title: string, options?: { body?: string }) {
          shown.push({ title, body: options?.body ?? '' });
        }
        close(): void {}
      }
      Object.assign(window, { Notification: RecordedNotification, burrowNotifications: shown });
      document.hasFocus = () => false;
    });
    return () => window.evaluate(() => (window as unknown as { burrowNotifications: { title: string; body: string }[] }).burrowNotifications);
  }

  signInEachFirst(inLab);

  test('Alice makes a room, and Bob finds it in the server’s list and enters it', async () => {
    const { alice, bob } = people();

    await alice.window.getByRole('button', { name: 'New room' }).click();
    const newRoom = alice.window.getByRole('form', { name: 'New room' });
    await newRoom.getByLabel('Room name').fill(roomLocalPart);
    await newRoom.getByLabel('Nickname').fill('Alice');
    await newRoom.getByRole('button', { name: 'Create room' }).click();
    await expect(alice.window.getByRole('heading', { name: roomLocalPart, level: 1 })).toBeVisible({ timeout: 15_000 });
    await expect(alice.window.getByRole('complementary', { name: 'Room' }).getByText('You are in as Alice')).toBeVisible();
    await expect(alice.window.getByRole('list', { name: 'Rooms' }).getByRole('button', { name: new RegExp(roomLocalPart) })).toBeVisible();
    await screenshot(alice, 'room-created');

    await bob.window.getByRole('button', { name: 'Join a room' }).click();
    const join = bob.window.getByRole('form', { name: 'Join a room' });
    await join.getByRole('region', { name: 'Rooms on the server' }).getByRole('button', { name: roomLocalPart }).click({ timeout: 15_000 });
    await expect(join.getByLabel('Room address')).toHaveValue(new RegExp(`^${roomLocalPart}@`));
    await join.getByLabel('Nickname').fill('Bob');
    await screenshot(bob, 'join-a-room');
    await join.getByRole('button', { name: 'Join', exact: true }).click();
    await expect(bob.window.getByRole('heading', { name: roomLocalPart, level: 1 })).toBeVisible({ timeout: 15_000 });

    for (const person of [alice, bob]) {
      await expect(occupants(person).getByRole('listitem')).toHaveText([/^Alice/, /^Bob/], { timeout: 15_000 });
    }
    await screenshot(bob, 'room-joined');
  });

  test('a message that names Bob is marked and notifies him; one that does not, does not', async () => {
    const { alice, bob } = people();
    const notifications = await recordNotifications(bob);

    await send(alice, 'Hello, everyone');
    await send(alice, 'Bob, the plan is in the room');
    const log = roomLog(bob);
    await expect(itemsWith(log, ['Bob, the plan is in the room'])).toHaveClass(/message-mention/, { timeout: 15_000 });
    await expect(itemsWith(log, ['Bob, the plan is in the room'])).toContainText('mentions you');
    await expect(itemsWith(log, ['Hello, everyone'])).not.toHaveClass(/message-mention/);
    await expect(itemsWith(log, ['Hello, everyone'])).toContainText('Alice');
    await expect.poll(notifications).toEqual([expect.objectContaining({ body: 'Bob, the plan is in the room' })]);
    await screenshot(bob, 'room-mention');
  });

  test('Bob writes to Alice privately from the room’s occupants, and she answers in a conversation of its own, apart from the room', async () => {
    const { alice, bob } = people();
    const privately = `(in ${roomLocalPart})`;
    const privateLog = ({ window }: Person, nick: string) => window.getByRole('log', { name: `Messages with ${nick} ${privately}` });

    await bob.window.getByRole('complementary', { name: 'Room' }).getByRole('button', { name: 'Message Alice privately' }).click();
    await expect(bob.window.getByRole('heading', { name: `Alice ${privately}`, level: 1 })).toBeVisible();
    await send(bob, 'Alice, just between us');
    await alice.window.getByRole('button', { name: new RegExp(`^Bob ${escapeRegExp(privately)}`) }).click({ timeout: 15_000 });
    await expect(privateLog(alice, 'Bob').getByRole('listitem').filter({ hasText: 'Alice, just between us' })).toHaveCount(1, { timeout: 15_000 });
    await send(alice, 'Between us, then');
    await expect(privateLog(bob, 'Alice').getByRole('listitem').filter({ hasText: 'Between us, then' })).toHaveCount(1, { timeout: 15_000 });
    await screenshot(alice, 'private-in-room');

    for (const person of [alice, bob]) {
      await person.window.getByRole('list', { name: 'Rooms' }).getByRole('button', { name: new RegExp(roomLocalPart) }).click();
      await expect(itemsWith(roomLog(person), ['Hello, everyone'])).toHaveCount(1);
      await expect(itemsWith(roomLog(person), ['just between us', 'Between us, then'])).toHaveCount(0);
    }
  });

  test('a cut mid-room-chat delivers everything once, in order', async () => {
    test.setTimeout(240_000);
    const { alice, bob } = people();
    await inLab.lab().cut([5222, 5223]);
    try {
      for (const body of duringCut.alice) await send(alice, body);
      for (const body of duringCut.bob) await send(bob, body);
      for (const person of [alice, bob]) await expect(banner(person, inLab.lab()).locator('.status-headline')).toHaveText(over443, { timeout: reconnectTimeout });
      await send(alice, afterCut.alice);
      await send(bob, afterCut.bob);

      const written = [...duringCut.alice, ...duringCut.bob, afterCut.alice, afterCut.bob];
      for (const person of [alice, bob]) {
        const log = roomLog(person);
        const aliceOrder = [...duringCut.alice, afterCut.alice];
        const bobOrder = [...duringCut.bob, afterCut.bob];
        await expect(itemsWith(log, aliceOrder)).toHaveText(aliceOrder.map((body) => new RegExp(escapeRegExp(body))), { timeout: 60_000 });
        await expect(itemsWith(log, bobOrder)).toHaveText(bobOrder.map((body) => new RegExp(escapeRegExp(body))), { timeout: 60_000 });
        await expect(itemsWith(log, written)).toHaveCount(written.length);
      }
      // Each sender's own: the room reflected them all.
      await expect(itemsWith(roomLog(alice), [...duringCut.alice, afterCut.alice])).toHaveText(Array(3).fill(/delivered$/), { timeout: 30_000 });
      for (const person of [alice, bob]) await screenshot(person, 'room-after-cut');
    } finally {
      await inLab.lab().heal();
    }
  });
});
