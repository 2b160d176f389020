/**
 * What the account tells the chat window of its messages, through a real session and its files,
 * over a fake stream: each change in the order it happened, so the last word on a message is its
 * newest state.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { ConversationView, MessageView } from '../../contract/contract.js';
import { EventHub } from '../events.js';
import type { FakeClient } from '../session/testing/fake-client.js';
import type { Account } from './account.js';
import { ConversationIndex } from './conversation-index.js';
import { signedInAccount } from './testing/signed-in-account.js';

vi.mock('../community-connection.js', () => import('./testing/fake-community-connection.js'));
vi.mock('../connection/connect.js', () => import('./testing/fake-stream-race.js'));

let dataDir: string;
let events: EventHub;
let account: Account;
let client: FakeClient;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'burrow-message-events-'));
  events = new EventHub();
  ({ account, client } = await signedInAccount(dataDir, events));
});

afterEach(async () => {
  await account.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('telling the chat window of a message', () => {
  it('tells a first message to someone new before its delivery, even when the receipt comes while the new conversation is written down', async () => {
    const told: MessageView[] = [];
    events.on('chat:message', (message) => told.push(message));
    const peer = 'friend@example.org';
    // A slow disk: the new conversation is written down only once the message is delivered.
    let delivered = false;
    const add = ConversationIndex.prototype.add;
    vi.spyOn(ConversationIndex.prototype, 'add').mockImplementationOnce(async function (this: ConversationIndex, who: string) {
      const written = add.call(this, who);
      await vi.waitFor(() => expect(delivered).toBe(true), { timeout: 5_000 });
      return written;
    });

    const message = await account.send(peer, 'hello');
    client.acknowledge(client.unacknowledged().length);
    client.deliver(`<message from="${peer}/phone"><received xmlns="urn:xmpp:receipts" id="${message.id}"/></message>`);
    await vi.waitFor(async () => expect((await account.history(peer)).messages.at(-1)?.state).toBe('delivered'));
    delivered = true;

    const states = () => told.filter(({ id }) => id === message.id).map(({ state }) => state);
    await vi.waitFor(() => expect(states().at(-1)).toBe('delivered'));
    const [first, ...later] = states();
    expect(first).toBe('queued');
    expect(later).not.toContain('queued');
  });
});

describe('telling the chat window of a conversation', () => {
  it('tells the conversation again when a message moves only if it is the conversation’s newest, and then as it is now', async () => {
    const peer = 'bob@example.org';
    const conversations: ConversationView[] = [];
    const messages: MessageView[] = [];
    events.on('chat:conversation', (conversation) => conversations.push(conversation));
    events.on('chat:message', (message) => messages.push(message));
    const sent = [await account.send(peer, 'one'), await account.send(peer, 'two'), await account.send(peer, 'three')];
    await vi.waitFor(() => expect(messages).toHaveLength(3));
    messages.length = 0;
    conversations.length = 0;

    client.acknowledge(client.unacknowledged().length);
    await vi.waitFor(() => expect(messages.map(({ id, state }) => [id, state])).toEqual(sent.map(({ id }) => [id, 'sent'])));

    expect(conversations).toEqual([expect.objectContaining({ peer, last: expect.objectContaining({ id: sent[2]!.id, body: 'three', state: 'sent' }) })]);
  });
});

describe('telling the chat window that the peer is typing', () => {
  it('tells it in the conversation the peer’s messages go to, though the notification comes from one of their devices', async () => {
    const typing: { peer: string; state: string }[] = [];
    const messages: MessageView[] = [];
    events.on('chat:peerState', ({ peer, state }) => typing.push({ peer, state }));
    events.on('chat:message', (message) => messages.push(message));

    client.deliver('<message type="chat" from="Bob@Example.org/phone"><composing xmlns="http://jabber.org/protocol/chatstates"/></message>');
    client.deliver('<message type="chat" from="Bob@Example.org/phone" id="m1"><body>hi</body><active xmlns="http://jabber.org/protocol/chatstates"/></message>');

    await vi.waitFor(() => expect(messages).toHaveLength(1));
    expect(typing).toEqual([{ peer: 'bob@example.org', state: 'composing' }]);
    expect(messages[0]!.peer).toBe(typing[0]!.peer);
  });
});
