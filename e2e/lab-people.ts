/**
 * People using Burrow in the network lab, one instance each (see in-lab.ts): what every spec of
 * people chatting does the same way — trusting the lab's CA, the first run, sending, screenshots.
 */
import { readFile } from 'node:fs/promises';

import type { Page } from '@playwright/test';

import type { Lab } from '../lab/lab.js';
import { expect, test } from './fixtures.js';
import type { BurrowInLab } from './in-lab.js';
import type { BurrowApp } from './launch.js';

export interface Person {
  /** For screenshot names. */
  name: string;
  account: Lab['accounts'][number];
  app: BurrowApp;
  window: Page;
}

/** Alice in the first instance, Bob in the second, as the lab's first two accounts. */
export function aliceAndBob(inLab: BurrowInLab): { alice: Person; bob: Person } {
  const [alice, bob] = inLab.lab().accounts;
  const person = (name: string, account: Person['account'] | undefined, index: number): Person => {
    if (!account) throw new Error(`the lab has no account for ${name}`);
    const app = inLab.app(index);
    return { name, account, app, window: app.window };
  };
  return { alice: person('alice', alice, 0), bob: person('bob', bob, 1) };
}

/** The first test of a spec of people: each trusts the lab's CA and signs in through the first run, in their own instance. */
export function signInEachFirst(inLab: BurrowInLab): void {
  test('the first run signs each person in, in their own instance', async () => {
    test.setTimeout(90_000);
    const { alice, bob } = aliceAndBob(inLab);
    for (const person of [alice, bob]) {
      await trustLabCa(person, inLab.lab());
      await firstRun(person, inLab.lab());
    }
  });
}

/** The person's status banner for the lab's community. */
export const banner = ({ window }: Person, lab: Lab) => window.getByRole('status', { name: lab.domain });

export const screenshot = ({ name, window }: Person, step: string) => window.screenshot({ path: test.info().outputPath(`${name}-${step}.png`) });

/** The lab's certificate authority is not in the system store: trust it in Preferences, never by turning checks off. */
export async function trustLabCa({ app }: Person, lab: Lab): Promise<void> {
  const preferences = await app.openPreferences();
  await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
  await preferences.getByLabel('Additional trusted CA (PEM)').fill(await readFile(lab.caFile, 'utf8'));
  await preferences.getByRole('button', { name: 'OK' }).click();
}

/** First run: host, user name and password, the rest Automatic; connected, then on to the chat. */
export async function firstRun(person: Person, lab: Lab): Promise<void> {
  const { window, account } = person;
  const form = window.getByRole('form', { name: 'Add your server community' });
  await form.getByLabel('Host server').fill(lab.domain);
  await form.getByLabel('User name').fill(account.username);
  await form.getByLabel('Password').fill(account.password);
  await form.getByRole('button', { name: 'Connect' }).click();
  await expect(banner(person, lab)).toContainText('Connected · ', { timeout: 30_000 });
  await expect(window.getByText(`You are signed in as ${account.jid}.`)).toBeVisible();
  await screenshot(person, 'first-run-connected');
  await window.getByRole('button', { name: 'Start chatting' }).click();
  const sidebar = window.getByRole('complementary', { name: 'Contacts and status' });
  await expect(sidebar.getByText('No contacts yet. Add one with “Add contact”.')).toBeVisible();
  await expect(window.getByRole('heading', { name: 'Pick someone to chat with' })).toBeVisible();
}

/** Types a message in the open conversation and sends it with Enter. */
export async function send({ window }: Person, body: string): Promise<void> {
  const composer = window.getByRole('textbox', { name: 'Message' });
  await composer.fill(body);
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
