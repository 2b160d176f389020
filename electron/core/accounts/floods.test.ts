/**
 * An account flooded by others — contact requests, presence, messages from strangers — through a
 * real session and its files, over a fake stream; the race and the settings are faked.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { EventChannel, EventOf } from '../../contract/contract.js';
import { EventHub } from '../events.js';
import type { FakeClient } from '../session/testing/fake-client.js';
import type { Account } from './account.js';
import { signedInAccount } from './testing/signed-in-account.js';

vi.mock('../community-connection.js', () => import('./testing/fake-community-connection.js'));
vi.mock('../connection/connect.js', () => import('./testing/fake-stream-race.js'));

let dataDir: string;
let events: EventHub;
let notices: Map<string, string>;
let account: Account;
let client: FakeClient;

beforeEach(async () => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  dataDir = await mkdtemp(path.join(tmpdir(), 'burrow-floods-'));
  events = new EventHub();
  notices = new Map();
  account = await signedIn();
});

afterEach(async () => {
  await account.close();
  vi.useRealTimers();
  await rm(dataDir, { recursive: true, force: true });
});

async function signedIn(): Promise<Account> {
  ({ account, client } = await signedInAccount(dataDir, events, (key, _level, message) => void notices.set(key, message)));
  return account;
}

/** Every event on `channel` from now on. */
function told<E extends EventChannel>(channel: E): EventOf<E>[] {
  const seen: EventOf<E>[] = [];
  events.on(channel, (payload) => seen.push(payload));
  return seen;
}

/** Resolves once the session has handled everything delivered so far: it answers a ping in turn. */
async function handled(): Promise<void> {
  const id = `ping-${client.sent.length}`;
  client.deliver(`<iq type="get" id="${id}" from="lab.test"><ping xmlns="urn:xmpp:ping"/></iq>`);
  await vi.waitFor(() => expect(client.sent.some((stanza) => stanza.attrs.id === id)).toBe(true), { timeout: 10_000 });
}

const fromStranger = (n: number, body = `hello from ${n}`) => `<message type="chat" from="stranger${n}@elsewhere.test/phone" id="m-${n}-${body}"><body>${body}</body></message>`;
/** Of strangers 0 to count - 1, those whose messages the history keeps. */
const kept = async (count: number) => {
  const strangers = Array.from({ length: count }, (_, i) => `stranger${i}@elsewhere.test`);
  const histories = await Promise.all(strangers.map(async (peer) => (await account.history(peer)).messages.length));
  return strangers.filter((_, i) => histories[i]! > 0);
};
const requestedBy = async () => (await account.messageRequests()).requests.map(({ peer }) => peer);

describe('an account flooded with contact requests', () => {
  it('keeps the 100 newest of 1,000, tells the roster’s changes in a few batches, and says it let go of 900', async () => {
    const deltas = told('roster:delta');
    for (let i = 0; i < 1_000; i++) client.deliver(`<presence from="asker${i}@elsewhere.test" type="subscribe"/>`);
    await handled();
    await vi.advanceTimersByTimeAsync(1_000);

    expect(account.roster().requests).toHaveLength(100);
    expect(account.roster().requests[0]).toBe('asker900@elsewhere.test');
    expect(deltas.length).toBeLessThanOrEqual(2);
    const asking = new Set<string>();
    for (const { requestsAdded, requestsRemoved } of deltas) {
      for (const jid of requestsAdded) asking.add(jid);
      for (const jid of requestsRemoved) asking.delete(jid);
    }
    expect([...asking].sort()).toEqual([...account.roster().requests].sort());
    expect(deltas.every(({ upserted, removed }) => upserted.length === 0 && removed.length === 0)).toBe(true);
    expect(notices.get('let-go lab')).toBe('Lab: more came in than Burrow keeps, so it let go of 900 contact requests (it keeps the newest 100).');
  });
});

describe('an account flooded with one contact’s presence', () => {
  it('tells that contact alone, once at once and once when the interval is over, with the latest presence', async () => {
    // Signing in told the roster: its interval is over.
    await vi.advanceTimersByTimeAsync(1_000);
    const deltas = told('roster:delta');
    for (let i = 0; i < 1_000; i++) client.deliver(`<presence from="bob@example.org/phone"><show>${i % 2 ? 'away' : 'dnd'}</show><status>#${i}</status></presence>`);
    await handled();

    expect(deltas).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(250);
    expect(deltas).toHaveLength(2);
    expect(deltas[1]?.upserted).toEqual([expect.objectContaining({ jid: 'bob@example.org', availability: 'away', status: '#999' })]);
    expect(notices.size).toBe(0);
  });
});

describe('an account flooded by strangers', () => {
  it('keeps 120 strangers’ messages as the 50 newest requests, makes no conversation of them, and says what it let go of', async () => {
    const messages = told('chat:message');
    const conversations = told('chat:conversation');
    for (let i = 0; i < 120; i++) client.deliver(fromStranger(i));
    await handled();
    await vi.advanceTimersByTimeAsync(1_000);

    expect(await requestedBy()).toEqual(Array.from({ length: 50 }, (_, i) => `stranger${70 + i}@elsewhere.test`));
    expect(await account.conversations()).toEqual([]);
    expect([messages, conversations]).toEqual([[], []]);
    expect(await kept(120)).toHaveLength(50);
    expect(notices.get('let-go lab')).toBe(
      'Lab: more came in than Burrow keeps, so it let go of 70 message requests (it keeps the newest 50) and 70 messages from people you don’t know (a request keeps its first 20).',
    );
  });

  it('keeps the first 20 of one stranger’s 100 messages, and says it let go of 80', async () => {
    for (let i = 0; i < 100; i++) client.deliver(fromStranger(1, `#${i}`));
    await handled();
    await vi.advanceTimersByTimeAsync(1_000);

    const { requests } = await account.messageRequests();
    expect(requests).toEqual([{ peer: 'stranger1@elsewhere.test', messages: 20, last: expect.objectContaining({ body: '#19', direction: 'in' }) }]);
    expect(notices.get('let-go lab')).toBe('Lab: more came in than Burrow keeps, so it let go of 80 messages from people you don’t know (a request keeps its first 20).');
  });

  it('tells the UI the requests that change, and those that go', async () => {
    const deltas = told('messageRequests:delta');
    client.deliver(fromStranger(1));
    await vi.waitFor(() => expect(deltas.at(-1)?.upserted).toMatchObject([{ peer: 'stranger1@elsewhere.test', messages: 1 }]));

    await vi.advanceTimersByTimeAsync(1_000);
    await account.answerMessageRequest('stranger1@elsewhere.test', false);
    await vi.waitFor(() => expect(deltas.at(-1)).toEqual({ communityId: 'lab', upserted: [], removed: ['stranger1@elsewhere.test'] }));
  });
});

describe('a message request', () => {
  beforeEach(async () => {
    for (const i of [1, 2, 3]) client.deliver(fromStranger(i));
    await handled();
  });

  it('becomes a conversation, with its messages, when accepted', async () => {
    const conversations = told('chat:conversation');
    await account.answerMessageRequest('Stranger1@elsewhere.test', true);

    expect(await requestedBy()).toEqual(['stranger2@elsewhere.test', 'stranger3@elsewhere.test']);
    expect(await account.conversations()).toMatchObject([{ peer: 'stranger1@elsewhere.test', unread: 1, last: { body: 'hello from 1' } }]);
    expect(conversations).toMatchObject([{ peer: 'stranger1@elsewhere.test' }]);
    client.deliver(fromStranger(1, 'and more'));
    await vi.waitFor(async () => expect((await account.history('stranger1@elsewhere.test')).messages.map(({ body }) => body)).toEqual(['hello from 1', 'and more']));
  });

  it('goes, with its messages, when dismissed', async () => {
    await account.answerMessageRequest('stranger2@elsewhere.test', false);

    expect(await requestedBy()).toEqual(['stranger1@elsewhere.test', 'stranger3@elsewhere.test']);
    expect((await account.history('stranger2@elsewhere.test')).messages).toEqual([]);
    expect(await kept(4)).toEqual(['stranger1@elsewhere.test', 'stranger3@elsewhere.test']);
    expect(await account.conversations()).toEqual([]);
  });

  it('becomes a conversation when the user writes back', async () => {
    await account.send('stranger3@elsewhere.test', 'Who are you?');

    await vi.waitFor(async () => expect(await requestedBy()).toEqual(['stranger1@elsewhere.test', 'stranger2@elsewhere.test']));
    expect((await account.conversations()).map(({ peer }) => peer)).toEqual(['stranger3@elsewhere.test']);
  });

  it('is not made a conversation by reading it', async () => {
    await account.markRead('stranger1@elsewhere.test');
    expect(await account.conversations()).toEqual([]);
  });

  it('is still there after a restart', async () => {
    await account.close();
    account = await signedIn();
    expect(await requestedBy()).toEqual(['stranger1@elsewhere.test', 'stranger2@elsewhere.test', 'stranger3@elsewhere.test']);
  });
});

describe('a contact’s message', () => {
  it('is a conversation, as before', async () => {
    client.deliver('<message type="chat" from="bob@example.org/phone" id="b1"><body>hi</body></message>');
    await vi.waitFor(async () => expect((await account.conversations()).map(({ peer }) => peer)).toEqual(['bob@example.org']));
    expect(await requestedBy()).toEqual([]);
  });
});
