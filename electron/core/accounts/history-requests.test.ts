/**
 * What the chat window asks of an account's history, through a real session and its files over a
 * fake stream: a conversation a page at a time, search, and the unread count.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { EventHub } from '../events.js';
import type { FakeClient } from '../session/testing/fake-client.js';
import type { Account } from './account.js';
import { signedInAccount } from './testing/signed-in-account.js';

vi.mock('../community-connection.js', () => import('./testing/fake-community-connection.js'));
vi.mock('../connection/connect.js', () => import('./testing/fake-stream-race.js'));

let dataDir: string;
let account: Account;
let client: FakeClient;
const friend = 'friend@example.org';

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'burrow-history-requests-'));
  ({ account, client } = await signedInAccount(dataDir, new EventHub()));
  await account.send(friend, 'hello, lunch on Friday?');
  for (let n = 1; n <= 5; n++) client.deliver(`<message type="chat" from="${friend}/phone" id="in-${n}"><body>reply ${n} about the café</body></message>`);
  await vi.waitFor(async () => expect((await account.history(friend)).messages).toHaveLength(6));
});

afterEach(async () => {
  await account.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the history, as the chat window asks for it', () => {
  it('gives the newest page and, with its cursor, the one before', async () => {
    const newest = await account.history(friend, {}, 4);
    expect(newest.messages.map(({ body }) => body)).toEqual(['reply 2 about the café', 'reply 3 about the café', 'reply 4 about the café', 'reply 5 about the café']);
    expect(newest.messages[0]).toMatchObject({ communityId: 'lab', peer: friend, direction: 'in', state: 'received' });

    const before = await account.history(friend, { before: newest.olderCursor! }, 4);
    expect(before.messages.map(({ body }) => body)).toEqual(['hello, lunch on Friday?', 'reply 1 about the café']);
    expect(before.olderCursor).toBeNull();
  });

  it('finds messages by their words and opens one in its context', async () => {
    const results = await account.search('CAFE rep', 3);
    expect(results.map(({ message }) => message.body)).toEqual(['reply 5 about the café', 'reply 4 about the café', 'reply 3 about the café']);
    expect(results[0]).toMatchObject({ communityId: 'lab', peer: friend, matches: [{ start: 0, end: 5 }, { start: 18, end: 22 }] });

    const context = await account.history(friend, { around: results[2]!.message.id }, 3);
    expect(context.messages.map(({ body }) => body)).toEqual(['reply 2 about the café', 'reply 3 about the café', 'reply 4 about the café']);
  });

  it('counts the unread and clears them when read', async () => {
    expect(await account.conversations()).toMatchObject([{ peer: friend, unread: 5, last: { body: 'reply 5 about the café' } }]);
    await account.markRead(friend);
    expect(await account.conversations()).toMatchObject([{ peer: friend, unread: 0 }]);
  });
});
