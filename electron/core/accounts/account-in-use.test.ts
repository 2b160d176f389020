/**
 * Two communities that sign in as the same account, over one data folder: the account's history can
 * be open once, so the second says why it cannot sign in, and what to do, instead of retrying.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';

import { causeWords, remedyWords } from '../../contract/account-words.js';
import { EventHub } from '../events.js';
import type { Account } from './account.js';
import { signedInAccount } from './testing/signed-in-account.js';

vi.mock('../community-connection.js', () => import('./testing/fake-community-connection.js'));
vi.mock('../connection/connect.js', () => import('./testing/fake-stream-race.js'));

let dataDir: string;
const accounts: Account[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'burrow-account-in-use-'));
});

afterEach(async () => {
  for (const account of accounts.splice(0)) await account.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('refuses a second community signing in as the same account, says why and what to do, and leaves the first signed in', async () => {
  const events = new EventHub();
  const first = (await signedInAccount(dataDir, events)).account;
  accounts.push(first);
  const second = (await signedInAccount(dataDir, events)).account;
  accounts.push(second);

  await vi.waitFor(() => expect(second.state.lifecycle.state).toBe('failed'));
  const lifecycle = second.state.lifecycle;
  if (lifecycle.state !== 'failed') throw new Error('unreachable');
  expect(lifecycle.cause).toEqual({ kind: 'account-in-use', jid: 'alice@lab.test', by: 'another-community' });
  expect(causeWords(lifecycle.cause)).toBe('Another server community in Burrow signs in as alice@lab.test already; one account can be signed in by one community only.');
  expect(remedyWords[lifecycle.remedy]).toMatch(/Remove one of the two communities/);
  expect(first.state.lifecycle.state).toBe('online');
});
