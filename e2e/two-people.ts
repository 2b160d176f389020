/** Alice and Bob, each in their own Burrow in the lab, and the contract their pages speak, for specs between two people. */
import { readFile } from 'node:fs/promises';

import type { Page } from '@playwright/test';

import { unwrapOutcome, type BurrowApi, type Outcome } from '../electron/contract/contract.js';
import { makeContacts, signIn, type DemoPerson } from '../lab/demo-accounts.js';
import { invokeOverSocket } from './contract-socket.js';
import type { BurrowInLab } from './in-lab.js';

/** The page's own contract, as the set-up's client: requests go over the socket the page uses. */
export function pageClient(page: Page): DemoPerson['client'] {
  const invoke = async (channel: string, payload?: unknown) => unwrapOutcome(channel, (await invokeOverSocket(page, channel, payload)) as Outcome<unknown>);
  return { invoke: invoke as BurrowApi['invoke'], close: () => {} };
}

/** The lab's first two accounts, alice in the first Burrow and bob in the second. */
export function aliceAndBob(inLab: BurrowInLab) {
  const lab = inLab.lab();
  const [aliceAccount, bobAccount] = lab.accounts;
  if (!aliceAccount || !bobAccount) throw new Error('the lab has no accounts for alice and bob');
  return { lab, alice: { account: aliceAccount, window: inLab.app(0).window }, bob: { account: bobAccount, window: inLab.app(1).window } };
}

/** Both signed in through their pages' contract, as Preferences would, and made each other's contacts (alice asks); their clients. */
export async function signInAsContacts(inLab: BurrowInLab): Promise<{ atAlice: DemoPerson; atBob: DemoPerson }> {
  const { lab, alice, bob } = aliceAndBob(inLab);
  const caPem = await readFile(lab.caFile, 'utf8');
  const atAlice = { account: alice.account, client: pageClient(alice.window) };
  const atBob = { account: bob.account, client: pageClient(bob.window) };
  await Promise.all([signIn(atAlice, lab.domain, caPem), signIn(atBob, lab.domain, caPem)]);
  await makeContacts(lab.domain, atAlice, atBob);
  return { atAlice, atBob };
}
