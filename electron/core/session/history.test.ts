import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HistoryDatabase } from './history-database.js';
import { History } from './history.js';
import type { NewMessage, Screen } from './history.js';

let folder: string;
const opened: HistoryDatabase[] = [];

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'burrow-history-'));
});

afterEach(async () => {
  for (const database of opened.splice(0)) database.close();
  await rm(folder, { recursive: true, force: true });
});

/** The history over the account's database, opened anew as on each start (the one opened before is closed). */
function openHistory(screen?: Screen): History {
  for (const database of opened) database.close();
  let counter = 0;
  const database = HistoryDatabase.open(path.join(folder, 'history.sqlite'), () => {});
  opened.push(database);
  return new History(database, { newLocalId: () => `local-${++counter}`, ...(screen ? { screen } : {}) });
}

/** The whole (small) conversation, oldest first. */
async function messagesOf(history: History, peer: string) {
  return (await history.page(peer, {}, 500)).messages;
}

const fromBob = (overrides: Partial<NewMessage>): NewMessage => ({
  peer: 'bob@example.org',
  direction: 'in',
  body: 'hi',
  at: '2026-11-22T10:00:00.000Z',
  sentAt: null,
  originId: null,
  stanzaId: null,
  state: 'received',
  ...overrides,
});
const toBob = (overrides: Partial<NewMessage>): NewMessage => fromBob({ direction: 'out', state: 'queued', ...overrides });

describe('the message history', () => {
  it('keeps a conversation per JID as its caller names it, normalised, on disk: a room occupant’s apart from the room’s', async () => {
    const history = openHistory();
    await history.record(fromBob({ body: 'from the phone' }));
    await history.record(fromBob({ peer: 'Bob@Example.org', body: 'from the desk', at: '2026-11-22T10:00:01.000Z' }));
    await history.record(fromBob({ peer: 'carol@example.org', body: 'elsewhere' }));
    await history.record(fromBob({ peer: 'team@rooms.example.org', body: 'to everyone', sender: 'dave' }));
    await history.record(fromBob({ peer: 'Team@rooms.example.org/dave', body: 'just to you' }));

    const reopened = openHistory();
    expect((await messagesOf(reopened, 'bob@example.org')).map(({ peer, body }) => [peer, body])).toEqual([
      ['bob@example.org', 'from the phone'],
      ['bob@example.org', 'from the desk'],
    ]);
    expect(await messagesOf(reopened, 'carol@example.org')).toHaveLength(1);
    expect((await messagesOf(reopened, 'team@rooms.example.org')).map(({ body }) => body)).toEqual(['to everyone']);
    expect((await messagesOf(reopened, 'team@rooms.example.org/dave')).map(({ peer, body }) => [peer, body])).toEqual([['team@rooms.example.org/dave', 'just to you']]);
  });

  it('keeps an inbound message once, however many copies arrive: by stanza-id or by origin-id', async () => {
    const history = openHistory();
    expect(await history.record(fromBob({ originId: 'o-1' }))).toMatchObject({ added: true });

    // The archive's copy carries the stanza-id the live one lacked; the peer's re-send after its failed resume gets a new stanza-id.
    expect(await history.record(fromBob({ originId: 'o-1', stanzaId: 's-1' }))).toMatchObject({ added: false, duplicateOf: { id: 'local-1' } });
    expect(await history.record(fromBob({ originId: 'o-1', stanzaId: 's-2' }))).toMatchObject({ added: false });
    expect(await history.record(fromBob({ stanzaId: 's-1', body: 'archive copy without origin-id' }))).toMatchObject({ added: false });

    expect(await messagesOf(openHistory(), 'bob@example.org')).toEqual([
      {
        id: 'local-1',
        peer: 'bob@example.org',
        direction: 'in',
        body: 'hi',
        at: '2026-11-22T10:00:00.000Z',
        sentAt: null,
        originId: 'o-1',
        stanzaId: 's-1',
        state: 'received',
        edited: false,
      },
    ]);
  });

  it('counts two copies arriving at the same moment once', async () => {
    const history = openHistory();
    const outcomes = await Promise.all([history.record(fromBob({ stanzaId: 's-1' })), history.record(fromBob({ stanzaId: 's-1' }))]);
    expect(outcomes.map((outcome) => outcome.added)).toEqual([true, false]);
  });

  it('tells a message of the user’s apart from the peer’s that happens to use the same origin-id', async () => {
    const history = openHistory();
    await history.record(toBob({ originId: 'same' }));
    const theirs = await history.record(fromBob({ originId: 'same' }));

    expect(theirs).toMatchObject({ added: true, message: { id: 'local-1' } });
    expect((await messagesOf(history, 'bob@example.org')).map((message) => message.id)).toEqual(['same', 'local-1']);
  });

  it('orders a conversation by time, so messages filled in from the archive land where they belong', async () => {
    const history = openHistory();
    await history.record(fromBob({ body: 'third', at: '2026-11-22T10:03:00.000Z' }));
    await history.record(fromBob({ body: 'first', at: '2026-11-22T10:01:00.000Z' }));
    await history.record(toBob({ body: 'second', originId: 'o-2', at: '2026-11-22T10:02:00.000Z' }));

    expect((await messagesOf(history, 'bob@example.org')).map((message) => message.body)).toEqual(['first', 'second', 'third']);
  });

  it("puts back in the archive's order a message the server delivered live after a newer one, and remembers it", async () => {
    const history = openHistory();
    const live = async (body: string, at: string) => history.record(fromBob({ body, originId: `o-${body}`, at }));
    await live('one', '2026-11-22T10:00:00.100Z');
    await live('three', '2026-11-22T10:00:00.300Z');
    await live('two', '2026-11-22T10:00:00.400Z');
    // The archive's copies, in its order, each placed at the gap's floor.
    for (const body of ['two', 'three']) await history.record(fromBob({ body, originId: `o-${body}`, at: '2026-11-22T10:00:00.200Z' }), { archiveOrder: true });
    const bodies = async (of: History) => (await messagesOf(of, 'bob@example.org')).map((message) => message.body);
    expect(await bodies(history)).toEqual(['one', 'two', 'three']);

    expect(await bodies(openHistory()), 'after a restart').toEqual(['one', 'two', 'three']);
  });

  it("moves only inbound messages, and only back: the user's own stay where they were written", async () => {
    const history = openHistory();
    await history.record(fromBob({ direction: 'out', body: 'mine', originId: 'o-mine', at: '2026-11-22T10:00:00.500Z', state: 'sent' }));
    await history.record(fromBob({ body: 'theirs', originId: 'o-theirs', at: '2026-11-22T10:00:00.100Z' }));
    await history.record(fromBob({ direction: 'out', body: 'mine', originId: 'o-mine', at: '2026-11-22T10:00:00.000Z', state: 'sent' }), { archiveOrder: true });
    await history.record(fromBob({ body: 'theirs', originId: 'o-theirs', at: '2026-11-22T10:00:00.900Z' }), { archiveOrder: true });
    expect((await messagesOf(history, 'bob@example.org')).map(({ body, at }) => [body, at])).toEqual([
      ['theirs', '2026-11-22T10:00:00.100Z'],
      ['mine', '2026-11-22T10:00:00.500Z'],
    ]);
  });

  it('moves an outgoing message forward from queued to sent to delivered, and never back', async () => {
    const history = openHistory();
    await history.record(toBob({ originId: 'o-1' }));

    // A receipt may overtake the server's acknowledgement.
    expect(await history.setState('bob@example.org', 'o-1', 'delivered')).toMatchObject({ state: 'delivered' });
    expect(await history.setState('bob@example.org', 'o-1', 'sent')).toBeNull();
    expect(await history.setState('bob@example.org', 'o-1', 'failed')).toBeNull();

    expect(await messagesOf(openHistory(), 'bob@example.org')).toMatchObject([{ id: 'o-1', state: 'delivered' }]);
  });

  it('marks a bounced message failed and lets a retry queue it again, or a receipt show it delivered after all', async () => {
    const history = openHistory();
    await history.record(toBob({ originId: 'o-1' }));

    expect(await history.setState('bob@example.org', 'o-1', 'sent')).toMatchObject({ state: 'sent' });
    expect(await history.setState('bob@example.org', 'o-1', 'failed')).toMatchObject({ state: 'failed' });
    expect(await history.setState('bob@example.org', 'o-1', 'sent')).toBeNull();
    expect(await history.setState('bob@example.org', 'o-1', 'queued')).toMatchObject({ state: 'queued' });
    expect(await history.setState('bob@example.org', 'o-1', 'failed')).toMatchObject({ state: 'failed' });
    expect(await history.setState('bob@example.org', 'o-1', 'delivered')).toMatchObject({ state: 'delivered' });
  });

  it('does not change inbound messages’ state or unknown messages', async () => {
    const history = openHistory();
    await history.record(fromBob({}));
    expect(await history.setState('bob@example.org', 'local-1', 'delivered')).toBeNull();
    expect(await history.setState('bob@example.org', 'nope', 'sent')).toBeNull();
  });

  it('refuses a peer that is not a JID', async () => {
    await expect(openHistory().record(fromBob({ peer: '@nobody' }))).rejects.toThrow('not a JID: "@nobody"');
  });

  it('knows a conversation’s newest message through every change, as the database has it', async () => {
    const history = openHistory();
    const newest = async () => {
      const last = await history.last('bob@example.org');
      expect(last).toEqual((await history.page('bob@example.org', {}, 1)).messages[0]);
      return last;
    };
    expect(await newest()).toBeUndefined();
    await history.record(toBob({ originId: 'o-1', at: '2026-11-22T10:00:01.000Z' }));
    expect(await newest()).toMatchObject({ id: 'o-1', state: 'queued' });
    await history.setState('bob@example.org', 'o-1', 'sent');
    expect(await newest()).toMatchObject({ id: 'o-1', state: 'sent' });
    // Filled in from the archive: older, so not the newest.
    await history.record(fromBob({ originId: 'o-old', stanzaId: 's-old', at: '2026-11-22T09:00:00.000Z' }), { archiveOrder: true });
    expect(await newest()).toMatchObject({ id: 'o-1' });
    await history.record(fromBob({ originId: 'o-2', at: '2026-11-22T10:00:01.000Z' }));
    expect(await newest()).toMatchObject({ body: 'hi', direction: 'in' });
    await history.correct({ peer: 'bob@example.org', direction: 'in', replaces: 'o-2', body: 'hello', at: '2026-11-22T10:00:02.000Z' });
    expect(await newest()).toMatchObject({ body: 'hello', edited: true });
    // The archive places the live message earlier than it came: the message before it is newest again.
    await history.record(fromBob({ originId: 'o-2', stanzaId: 's-2', at: '2026-11-22T10:00:00.500Z' }), { archiveOrder: true });
    expect(await newest()).toMatchObject({ id: 'o-1' });
    await history.forget('bob@example.org');
    expect(await newest()).toBeUndefined();
  });
});

describe('corrections (XEP-0308)', () => {
  const correction = (direction: 'in' | 'out', replaces: string, body: string, at: string) => ({ peer: 'bob@example.org', direction, replaces, body, at });

  it('replaces the text of the corrector’s own message, found by the id its sender gave it, and marks it edited', async () => {
    const history = openHistory();
    await history.record(fromBob({ body: 'helo', originId: 'o-1', senderId: 'm-1' }));

    const outcome = await history.correct(correction('in', 'm-1', 'hello', '2026-11-22T10:01:00.000Z'));

    expect(outcome).toMatchObject({ kind: 'corrected', message: { body: 'hello', edited: true } });
    expect(await messagesOf(openHistory(), 'bob@example.org')).toMatchObject([{ body: 'hello', edited: true }]);
  });

  it('takes a message sent from here by its origin-id, the id it went out with', async () => {
    const history = openHistory();
    const sent = await history.record(toBob({ body: 'see you at 6', originId: 'o-1' }));
    expect(await history.senderId('bob@example.org', sent.added ? sent.message.id : '')).toBe('o-1');
    expect(await history.correct(correction('out', 'o-1', 'see you at 7', '2026-11-22T10:01:00.000Z'))).toMatchObject({ kind: 'corrected', message: { body: 'see you at 7' } });
  });

  it('lets no one correct the other side’s message, and says when it has no message by that id', async () => {
    const history = openHistory();
    await history.record(toBob({ body: 'mine', originId: 'o-1' }));

    expect(await history.correct(correction('in', 'o-1', 'not what you said', '2026-11-22T10:01:00.000Z'))).toMatchObject({ kind: 'not-the-sender' });
    expect(await history.correct(correction('in', 'o-9', 'of what?', '2026-11-22T10:01:00.000Z'))).toEqual({ kind: 'not-found' });
    expect(await messagesOf(history, 'bob@example.org')).toMatchObject([{ body: 'mine', edited: false }]);
  });

  it('keeps the newest correction when an older one comes later', async () => {
    const history = openHistory();
    await history.record(fromBob({ body: 'helo', senderId: 'm-1' }));
    await history.correct(correction('in', 'm-1', 'hello!', '2026-11-22T10:02:00.000Z'));

    expect(await history.correct(correction('in', 'm-1', 'hello', '2026-11-22T10:01:00.000Z'))).toMatchObject({ kind: 'unchanged', message: { body: 'hello!' } });
  });
});

describe('a screened message history', () => {
  /** Room for two of carol's messages, as for a stranger; no limit for bob. */
  function screened() {
    const setAside: string[] = [];
    const history = openHistory({
      room: async ({ peer }) => (peer === 'carol@example.org' ? 2 : Infinity),
      setAside: ({ body }) => void setAside.push(body),
    });
    return { history, setAside };
  }
  const fromCarol = (body: string, originId: string) => fromBob({ peer: 'carol@example.org', body, originId });

  it('keeps no more of a conversation than the screen has room for, still knows copies, and says what it set aside', async () => {
    const { history, setAside } = screened();
    for (const [index, body] of ['one', 'two', 'three', 'four'].entries()) await history.record(fromCarol(body, `o-${index}`));

    expect(await history.record(fromCarol('two', 'o-1'))).toMatchObject({ added: false, duplicateOf: { id: 'local-2' } });
    expect(await history.record(fromCarol('five', 'o-4'))).toMatchObject({ added: false, setAside: true, duplicateOf: { body: 'five' } });
    expect(setAside).toEqual(['three', 'four', 'five']);

    for (let i = 0; i < 5; i++) await history.record(fromBob({ body: `bob ${i}`, originId: `b-${i}` }));
    expect(await messagesOf(history, 'bob@example.org')).toHaveLength(5);
    expect((await messagesOf(openHistory(), 'carol@example.org')).map(({ body }) => body)).toEqual(['one', 'two']);
  });

  it('forgets a conversation, messages and all; a message after that starts it anew', async () => {
    const { history } = screened();
    await history.record(fromCarol('one', 'o-1'));
    await history.record(fromBob({ body: 'stays', originId: 'b-1' }));

    await history.forget('Carol@example.org');
    expect(await history.count('carol@example.org')).toBe(0);
    expect(await messagesOf(history, 'carol@example.org')).toEqual([]);

    await history.record(fromCarol('again', 'o-1'));
    expect((await messagesOf(openHistory(), 'carol@example.org')).map(({ body }) => body)).toEqual(['again']);
    expect((await messagesOf(openHistory(), 'bob@example.org')).map(({ body }) => body)).toEqual(['stays']);
  });
});

describe('reading a conversation a page at a time', () => {
  /** Bob's messages 0 to count - 1, a second apart, with two at the same second to show the storage order. */
  async function conversationOf(count: number) {
    const history = openHistory();
    for (let n = 0; n < count; n++) await history.record(fromBob({ body: `m${n}`, stanzaId: `s-${n}`, at: new Date(Date.UTC(2026, 10, 22, 10, 0, Math.min(n, count - 2))).toISOString() }));
    return history;
  }
  const bodies = (page: { messages: { body: string }[] }) => page.messages.map(({ body }) => body);

  it('opens on the newest page, oldest first, and pages back to the start', async () => {
    const history = await conversationOf(7);
    const newest = await history.page('bob@example.org', {}, 3);
    expect(bodies(newest)).toEqual(['m4', 'm5', 'm6']);
    expect(newest.newerCursor).toBeNull();

    const before = await history.page('bob@example.org', { before: newest.olderCursor! }, 3);
    expect(bodies(before)).toEqual(['m1', 'm2', 'm3']);
    const first = await history.page('bob@example.org', { before: before.olderCursor! }, 3);
    expect(bodies(first)).toEqual(['m0']);
    expect(first.olderCursor).toBeNull();

    const forward = await history.page('bob@example.org', { after: first.newerCursor! }, 3);
    expect(bodies(forward)).toEqual(['m1', 'm2', 'm3']);
  });

  it('opens on a message in its context, with cursors to either side', async () => {
    const history = await conversationOf(9);
    // local-5 is m4.
    const around = await history.page('bob@example.org', { around: 'local-5' }, 4);
    expect(bodies(around)).toEqual(['m3', 'm4', 'm5', 'm6']);
    expect(bodies(await history.page('bob@example.org', { before: around.olderCursor! }, 10))).toEqual(['m0', 'm1', 'm2']);
    expect(bodies(await history.page('bob@example.org', { after: around.newerCursor! }, 10))).toEqual(['m7', 'm8']);

    const atTheStart = await history.page('bob@example.org', { around: 'local-1' }, 4);
    expect(bodies(atTheStart)).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(atTheStart.olderCursor).toBeNull();
    const atTheEnd = await history.page('bob@example.org', { around: 'local-9' }, 4);
    expect(bodies(atTheEnd)).toEqual(['m5', 'm6', 'm7', 'm8']);
    expect(atTheEnd.newerCursor).toBeNull();
  });

  it('answers an empty page for a conversation, a message or a cursor it does not know', async () => {
    const history = await conversationOf(2);
    const empty = { messages: [], olderCursor: null, newerCursor: null };
    expect(await history.page('nobody@example.org')).toEqual(empty);
    expect(await history.page('bob@example.org', { around: 'nope' })).toEqual(empty);
    expect(await history.page('bob@example.org', { before: 'not a cursor' })).toEqual(empty);
  });
});
