/**
 * What the demo does in each instance before handing it to a newcomer, through the contract as
 * Preferences and the chat window would: the lab's community with the account's user name and
 * password, the lab's CA as an additional trusted CA, signed in; then alice and bob made contacts.
 */
import { secretKeys } from '../electron/common/settings/secret-keys.js';
import { Community } from '../electron/common/settings/schema.js';
import { accountStatusLine } from '../electron/contract/account-words.js';
import type { ContractClient } from './contract-client.js';
import { waitUntil } from './run.js';
import type { Account } from './server.js';

export interface DemoPerson {
  account: Account;
  client: ContractClient;
}

const signInTimeoutMs = 30_000;
const contactTimeoutMs = 15_000;
const pollMs = 200;

/** Saves the lab's community (named after its domain, as the first-run form names it) and waits until the account is online. */
export async function signIn({ account, client }: DemoPerson, domain: string, caPem: string): Promise<void> {
  const communityId = domain;
  const { settings } = await client.invoke('settings:get');
  const community = Community.parse({ id: communityId, displayName: domain, hostServer: domain, username: account.username });
  await client.invoke('settings:save', {
    settings: { ...settings, connection: { ...settings.connection, trustedCaPem: caPem }, communities: [community] },
    passwords: [{ key: secretKeys.communityPassword(communityId), value: account.password }],
  });
  await waitUntil(
    `${account.jid} to sign in`,
    async () => {
      const view = (await client.invoke('accounts:list')).find((candidate) => candidate.communityId === communityId);
      if (view?.lifecycle.state === 'failed') throw new Error(`${account.jid} could not sign in: ${accountStatusLine(view)}`);
      if (view?.lifecycle.state === 'offline') await client.invoke('account:connect', { communityId });
      return view?.lifecycle.state === 'online';
    },
    signInTimeoutMs,
    pollMs,
  );
}

/** One asks to see the other; the other accepts, which asks back, and the first side accepts that by itself. */
export async function makeContacts(domain: string, asker: DemoPerson, answerer: DemoPerson): Promise<void> {
  const communityId = domain;
  await asker.client.invoke('roster:add', { communityId, jid: answerer.account.jid });
  await waitUntil(
    `${answerer.account.jid} to hear ${asker.account.jid}'s request`,
    async () => (await answerer.client.invoke('roster:get', { communityId })).requests.includes(asker.account.jid),
    contactTimeoutMs,
    pollMs,
  );
  await answerer.client.invoke('subscription:answer', { communityId, jid: asker.account.jid, accept: true });
  await waitUntil(
    `${asker.account.jid} and ${answerer.account.jid} to see each other`,
    async () => (await asker.client.invoke('roster:get', { communityId })).contacts.some(({ jid, subscription }) => jid === answerer.account.jid && subscription === 'both'),
    contactTimeoutMs,
    pollMs,
  );
}
