/**
 * Two people, each in their own Burrow, chatting through the network lab (LAB.md S12: an open
 * network whose direct ports are cut mid-session). alice signs in on one instance and bob on the
 * other through the first-run flow; they add each other, see each other's presence change and
 * chat, with message states, links, day separators and unread counts. Then the lab black-holes
 * 5222 and 5223 while they chat: both banners say they are reconnecting, what is typed meanwhile
 * waits as queued, and once both are back over 443 every message is delivered exactly once, in
 * the order it was written.
 */
import type { Locator } from '@playwright/test';

import { expect, test } from './fixtures.js';
import { burrowInLab } from './in-lab.js';
import { aliceAndBob, banner as labBanner, escapeRegExp, screenshot, send, signInEachFirst, type Person } from './lab-people.js';

/** What each writes, in order: before the cut, while the direct path is dead, and once back. */
const written = {
  alice: { before: 'hello bob, see https://example.test/', duringCut: ['are you still there?', 'my network just dropped'], afterCut: 'back again over 443' },
  bob: { before: 'hi alice', duringCut: ['same here, nothing goes through'], afterCut: 'got both of yours' },
};
const allWritten = (by: (typeof written)['alice']) => [by.before, ...by.duringCut, by.afterCut];

const directPath = /^Connected · (Direct TLS|TCP with STARTTLS), no proxy$/;
const over443 = /^Connected · (WebSocket|BOSH) over HTTPS, no proxy$/;
/** The keepalive notices the dead path within ~15 s; a new race, and a sign-in that may stall once (a resume over BOSH). */
const reconnectTimeout = 60_000;

test.describe('Two people chatting through the network lab', () => {
  test.describe.configure({ mode: 'serial' });
  const inLab = burrowInLab('S12', { apps: 2 });

  const people = () => aliceAndBob(inLab);

  const banner = (person: Person) => labBanner(person, inLab.lab());
  /** The banner's first line, e.g. "Connected · Direct TLS, no proxy" or "Reconnecting…". */
  const headline = (person: Person) => banner(person).locator('.status-headline');
  const contact = ({ window }: Person, name: string | RegExp) => window.getByRole('list', { name: 'Contacts' }).getByRole('button', { name });
  /** How each sees the other: alice names bob when adding him; bob's side shows alice's address. */
  const bobFor = (alice: Person) => contact(alice, /^Bob/);
  const aliceFor = (bob: Person, alice: Person) => contact(bob, alice.account.jid);
  const conversation = ({ window }: Person, title: string) => window.getByRole('log', { name: `Messages with ${title}` });

  /** The items of a conversation holding these bodies (none of which is part of another). */
  const itemsWith = (log: Locator, bodies: readonly string[]) => log.getByRole('listitem').filter({ hasText: new RegExp(bodies.map(escapeRegExp).join('|')) });
  const itemWith = (log: Locator, body: string) => itemsWith(log, [body]);

  /**
   * From now on, every headline the person's status banner shows is kept in the page: a state as
   * brief as "Reconnecting…" over a fast race is still seen.
   */
  async function recordHeadlines(person: Person): Promise<() => Promise<string[]>> {
    await person.window.evaluate((community) => {
      const seen: string[] = [];
      const read = () => {
        const banner = Array.from(document.querySelectorAll('[role="status"]')).find((element) => element.getAttribute('aria-label') === community);
        const text = banner?.querySelector('.status-headline')?.textContent ?? '(no banner)';
        if (text !== seen.at(-1)) seen.push(text);
      };
      read();
      new MutationObserver(read).observe(document.body, { subtree: true, childList: true, characterData: true });
      Object.assign(window, { burrowHeadlines: seen });
    }, inLab.lab().domain);
    return () => person.window.evaluate(() => (window as unknown as { burrowHeadlines: string[] }).burrowHeadlines);
  }

  /**
   * S12 starts from a direct connection. The race may have let 443 win even in this open network (on
   * a busy machine a direct port a few milliseconds slow to answer counts as black-holed): whoever is
   * on 443 is sent back to a direct path by black-holing 443 until they are.
   */
  async function connectedDirectly(people: readonly Person[]): Promise<void> {
    const tunnelled: Person[] = [];
    for (const person of people) if (!directPath.test((await headline(person).textContent()) ?? '')) tunnelled.push(person);
    if (tunnelled.length === 0) return;
    test.info().annotations.push({ type: 'note', description: `${tunnelled.map(({ name }) => name).join(' and ')} had connected over 443; sent back to a direct path first` });
    await inLab.lab().cut([443]);
    try {
      for (const person of tunnelled) await expect(headline(person)).toHaveText(directPath, { timeout: reconnectTimeout });
    } finally {
      await inLab.lab().heal();
    }
  }

  signInEachFirst(inLab);

  test('they add each other and see each other’s presence change', async () => {
    const { alice, bob } = people();

    // alice asks to see bob's presence; bob accepts, which asks for hers in turn.
    await alice.window.getByRole('button', { name: 'Add contact' }).click();
    const addContact = alice.window.getByRole('form', { name: 'Add contact' });
    await addContact.getByLabel('Contact address').fill(bob.account.jid);
    await addContact.getByLabel('Name (optional)').fill('Bob');
    await addContact.getByLabel('Group (optional)').fill('Lab friends');
    await addContact.getByRole('button', { name: 'Add contact' }).click();
    await expect(bobFor(alice)).toContainText('Waiting for them to accept');
    await bob.window.getByRole('button', { name: `Accept ${alice.account.jid}` }).click({ timeout: 15_000 });
    await expect(bobFor(alice)).toContainText('Available', { timeout: 15_000 });
    await expect(aliceFor(bob, alice)).toContainText('Available', { timeout: 15_000 });
    await expect(alice.window.getByRole('heading', { name: 'Lab friends' })).toBeVisible();

    // bob steps away with a status text; alice sees it, then sees him back.
    const availability = bob.window.getByLabel('Availability');
    await availability.selectOption({ label: 'Away' });
    await expect(availability).toHaveValue('away');
    const statusText = bob.window.getByLabel('Status text');
    await statusText.fill('In a meeting');
    await statusText.press('Enter');
    await expect(bobFor(alice)).toContainText('Away · In a meeting', { timeout: 15_000 });
    await availability.selectOption({ label: 'Available' });
    await expect(availability).toHaveValue('available');
    await statusText.fill('');
    await statusText.press('Enter');
    await expect(bobFor(alice)).toContainText('Available', { timeout: 15_000 });
    await expect(bobFor(alice)).not.toContainText('In a meeting');
  });

  test('messages go both ways and are delivered; links, the day and unread counts show', async () => {
    const { alice, bob } = people();

    // alice writes; the message is delivered; bob sees it unread.
    await bobFor(alice).click();
    await send(alice, written.alice.before);
    const toBob = itemWith(conversation(alice, 'Bob'), written.alice.before);
    await expect(toBob.getByRole('link', { name: 'https://example.test/' })).toBeVisible();
    await expect(alice.window.getByRole('separator', { name: 'Today' })).toBeVisible();
    await expect(aliceFor(bob, alice)).toContainText('1 unread', { timeout: 15_000 });
    await expect(toBob).toContainText('delivered', { timeout: 15_000 });
    await expect(bob.window).toHaveTitle('(1) Burrow');

    // bob opens it, which reads it, and answers; the answer is delivered to alice.
    await aliceFor(bob, alice).click();
    const withAlice = conversation(bob, alice.account.jid);
    await expect(itemWith(withAlice, written.alice.before)).toBeVisible();
    await expect(aliceFor(bob, alice)).not.toContainText('unread');
    await expect(bob.window).toHaveTitle('Burrow');
    await send(bob, written.bob.before);
    await expect(itemWith(withAlice, written.bob.before)).toContainText('delivered', { timeout: 15_000 });
    await expect(itemWith(conversation(alice, 'Bob'), written.bob.before)).toBeVisible();
    for (const person of [alice, bob]) await screenshot(person, 'chat');
  });

  test('a cut of the direct path mid-chat: reconnecting shown, what is typed meanwhile queued, then everything delivered once, in order, over 443', async () => {
    test.setTimeout(180_000);
    const lab = inLab.lab();
    const { alice, bob } = people();
    const aliceWithBob = conversation(alice, 'Bob');
    const bobWithAlice = conversation(bob, alice.account.jid);
    await connectedDirectly([alice, bob]);
    for (const person of [alice, bob]) await expect(headline(person)).toHaveText(directPath);
    const headlines = { alice: await recordHeadlines(alice), bob: await recordHeadlines(bob) };

    await lab.cut();
    try {
      // Written right after the cut, before the keepalive notices: they wait, queued.
      for (const body of written.alice.duringCut) await send(alice, body);
      for (const body of written.bob.duringCut) await send(bob, body);
      for (const body of written.alice.duringCut) await expect(itemWith(aliceWithBob, body)).toContainText('queued');
      for (const body of written.bob.duringCut) await expect(itemWith(bobWithAlice, body)).toContainText('queued');
      for (const person of [alice, bob]) await screenshot(person, 'cut-queued');

      // The dead path is noticed; both come back over 443, and what they write now goes straight out.
      for (const person of [alice, bob]) await expect(headline(person)).toHaveText(over443, { timeout: reconnectTimeout });
      await send(alice, written.alice.afterCut);
      await send(bob, written.bob.afterCut);

      // Each sender sees every message delivered, in the order written; each receiver has each exactly once, in that order.
      for (const [sender, receiver, bodies] of [
        [aliceWithBob, bobWithAlice, allWritten(written.alice)],
        [bobWithAlice, aliceWithBob, allWritten(written.bob)],
      ] as const) {
        await expect(itemsWith(sender, bodies)).toHaveText(
          bodies.map((body) => new RegExp(`${escapeRegExp(body)}[\\s\\S]*delivered(?: · Edit)?$`)),
          { timeout: reconnectTimeout },
        );
        await expect(itemsWith(receiver, bodies)).toHaveText(bodies.map((body) => new RegExp(escapeRegExp(body))));
        for (const body of bodies) await expect(itemWith(receiver, body)).toHaveCount(1);
      }

      // On the way, each banner said it was reconnecting, however briefly.
      for (const [person, recorded] of [
        [alice, headlines.alice],
        [bob, headlines.bob],
      ] as const) {
        await expect(headline(person)).toHaveText(over443);
        const seen = await recorded();
        await test.info().attach(`${person.name}-banner-headlines.json`, { body: JSON.stringify(seen, null, 2), contentType: 'application/json' });
        expect(seen[0]).toMatch(directPath);
        expect(seen).toContainEqual(expect.stringMatching(/^Reconnecting/));
        expect(seen.at(-1)).toMatch(over443);
      }
      await expect(bobFor(alice)).toContainText('Available');
      await expect(aliceFor(bob, alice)).toContainText('Available');
      for (const person of [alice, bob]) await screenshot(person, 'reconnected');
    } finally {
      await lab.heal();
    }
  });
});

