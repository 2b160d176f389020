import { appendFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { History } from './history.js';
import type { NewMessage, Screen } from './history.js';

let folder: string;
const opened: History[] = [];
let faults: { level: string; message: string }[] = [];

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'burrow-history-'));
  faults = [];
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((history) => history.close()));
  await rm(folder, { recursive: true, force: true });
});

function openHistory(screen?: Screen): History {
  let counter = 0;
  const history = new History(folder, { newLocalId: () => `local-${++counter}`, reportFault: (level, message) => faults.push({ level, message }), ...(screen ? { screen } : {}) });
  opened.push(history);
  return history;
}

const fromBob = (overrides: Partial<NewMessage>): NewMessage => ({
  peer: 'bob@example.org/phone',
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
  it('keeps a conversation per bare JID, on disk', async () => {
    const history = openHistory();
    await history.record(fromBob({ body: 'from the phone' }));
    await history.record(fromBob({ peer: 'Bob@example.org/desk', body: 'from the desk', at: '2026-11-22T10:00:01.000Z' }));
    await history.record(fromBob({ peer: 'carol@example.org', body: 'elsewhere' }));

    const reopened = openHistory();
    expect((await reopened.messages('bob@example.org')).map(({ peer, body }) => [peer, body])).toEqual([
      ['bob@example.org', 'from the phone'],
      ['bob@example.org', 'from the desk'],
    ]);
    expect(await reopened.messages('carol@example.org')).toHaveLength(1);
  });

  it('keeps an inbound message once, however many copies arrive: by stanza-id or by origin-id', async () => {
    const history = openHistory();
    expect(await history.record(fromBob({ originId: 'o-1' }))).toMatchObject({ added: true });

    // The archive's copy carries the stanza-id the live one lacked; the peer's re-send after its failed resume gets a new stanza-id.
    expect(await history.record(fromBob({ originId: 'o-1', stanzaId: 's-1' }))).toMatchObject({ added: false, duplicateOf: { id: 'local-1' } });
    expect(await history.record(fromBob({ originId: 'o-1', stanzaId: 's-2' }))).toMatchObject({ added: false });
    expect(await history.record(fromBob({ stanzaId: 's-1', body: 'archive copy without origin-id' }))).toMatchObject({ added: false });

    expect(await openHistory().messages('bob@example.org')).toEqual([
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
    expect((await history.messages('bob@example.org')).map((message) => message.id)).toEqual(['same', 'local-1']);
  });

  it('orders a conversation by time, so messages filled in from the archive land where they belong', async () => {
    const history = openHistory();
    await history.record(fromBob({ body: 'third', at: '2026-11-22T10:03:00.000Z' }));
    await history.record(fromBob({ body: 'first', at: '2026-11-22T10:01:00.000Z' }));
    await history.record(toBob({ body: 'second', originId: 'o-2', at: '2026-11-22T10:02:00.000Z' }));

    expect((await history.messages('bob@example.org')).map((message) => message.body)).toEqual(['first', 'second', 'third']);
  });

  it("puts back in the archive's order a message the server delivered live after a newer one, and remembers it", async () => {
    const history = openHistory();
    const live = async (body: string, at: string) => history.record(fromBob({ body, originId: `o-${body}`, at }));
    await live('one', '2026-11-22T10:00:00.100Z');
    await live('three', '2026-11-22T10:00:00.300Z');
    await live('two', '2026-11-22T10:00:00.400Z');
    // The archive's copies, in its order, each placed at the gap's floor.
    for (const body of ['two', 'three']) await history.record(fromBob({ body, originId: `o-${body}`, at: '2026-11-22T10:00:00.200Z' }), { archiveOrder: true });
    const bodies = async (of: History) => (await of.messages('bob@example.org')).map((message) => message.body);
    expect(await bodies(history)).toEqual(['one', 'two', 'three']);

    await history.close();
    expect(await bodies(openHistory()), 'after a restart').toEqual(['one', 'two', 'three']);
  });

  it("moves only inbound messages, and only back: the user's own stay where they were written", async () => {
    const history = openHistory();
    await history.record(fromBob({ direction: 'out', body: 'mine', originId: 'o-mine', at: '2026-11-22T10:00:00.500Z', state: 'sent' }));
    await history.record(fromBob({ body: 'theirs', originId: 'o-theirs', at: '2026-11-22T10:00:00.100Z' }));
    await history.record(fromBob({ direction: 'out', body: 'mine', originId: 'o-mine', at: '2026-11-22T10:00:00.000Z', state: 'sent' }), { archiveOrder: true });
    await history.record(fromBob({ body: 'theirs', originId: 'o-theirs', at: '2026-11-22T10:00:00.900Z' }), { archiveOrder: true });
    expect((await history.messages('bob@example.org')).map(({ body, at }) => [body, at])).toEqual([
      ['theirs', '2026-11-22T10:00:00.100Z'],
      ['mine', '2026-11-22T10:00:00.500Z'],
    ]);
  });

  it('moves an outgoing message forward from queued to sent to delivered, and never back', async () => {
    const history = openHistory();
    await history.record(toBob({ originId: 'o-1' }));

    // A receipt may overtake the server's acknowledgement.
    expect(await history.setState('bob@example.org', 'o-1', 'delivered')).toBe(true);
    expect(await history.setState('bob@example.org', 'o-1', 'sent')).toBe(false);
    expect(await history.setState('bob@example.org', 'o-1', 'failed')).toBe(false);

    expect(await openHistory().messages('bob@example.org')).toMatchObject([{ id: 'o-1', state: 'delivered' }]);
  });

  it('marks a bounced message failed and lets a retry queue it again, or a receipt show it delivered after all', async () => {
    const history = openHistory();
    await history.record(toBob({ originId: 'o-1' }));

    expect(await history.setState('bob@example.org', 'o-1', 'sent')).toBe(true);
    expect(await history.setState('bob@example.org', 'o-1', 'failed')).toBe(true);
    expect(await history.setState('bob@example.org', 'o-1', 'sent')).toBe(false);
    expect(await history.setState('bob@example.org', 'o-1', 'queued')).toBe(true);
    expect(await history.setState('bob@example.org', 'o-1', 'failed')).toBe(true);
    expect(await history.setState('bob@example.org', 'o-1', 'delivered')).toBe(true);
  });

  it('does not change inbound messages’ state or unknown messages', async () => {
    const history = openHistory();
    await history.record(fromBob({}));
    expect(await history.setState('bob@example.org', 'local-1', 'delivered')).toBe(false);
    expect(await history.setState('bob@example.org', 'nope', 'sent')).toBe(false);
  });

  it('refuses a peer that is not a JID', async () => {
    await expect(openHistory().record(fromBob({ peer: '@nobody' }))).rejects.toThrow('not a JID: "@nobody"');
  });

  it('tells of a damaged line with what it read, and keeps the rest of the conversation', async () => {
    const history = openHistory();
    await history.record(fromBob({ body: 'kept', originId: 'o1' }));
    await history.close();
    const [file] = await readdir(folder);
    await appendFile(path.join(folder, file!), '\n{"kind":"message","message":{"id":"torn","peer":"bob@example.org","body":"half a sent');

    expect((await openHistory().messages('bob@example.org')).map((message) => message.body)).toEqual(['kept']);
    expect(faults).toEqual([{ level: 'warning', message: expect.stringMatching(/^A damaged line of your history with bob@example.org was skipped; it read: .*half a sent$/) }]);
  });

  it('tells of a conversation it cannot read (a folder in its place: EISDIR), and keeps serving the others', async () => {
    const history = openHistory();
    await history.record(fromBob({ body: 'to make the file', originId: 'o1' }));
    await history.close();
    const [file] = await readdir(folder);
    await rm(path.join(folder, file!));
    await mkdir(path.join(folder, file!));

    const reopened = openHistory();
    await expect(reopened.messages('bob@example.org')).rejects.toThrow(/EISDIR/);
    expect(faults).toEqual([{ level: 'error', message: expect.stringMatching(/^Burrow cannot read your history with bob@example.org \(EISDIR/) }]);
    await reopened.record(fromBob({ peer: 'carol@example.org', body: 'still here', originId: 'o2' }));
    expect((await reopened.messages('carol@example.org')).map((message) => message.body)).toEqual(['still here']);
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
  const fromCarol = (body: string, originId: string) => fromBob({ peer: 'carol@example.org/phone', body, originId });

  it('keeps no more of a conversation than the screen has room for, still knows copies, and says what it set aside', async () => {
    const { history, setAside } = screened();
    for (const [index, body] of ['one', 'two', 'three', 'four'].entries()) await history.record(fromCarol(body, `o-${index}`));

    expect(await history.record(fromCarol('two', 'o-1'))).toMatchObject({ added: false, duplicateOf: { id: 'local-2' } });
    expect(await history.record(fromCarol('five', 'o-4'))).toMatchObject({ added: false, setAside: true, duplicateOf: { body: 'five' } });
    expect((await openHistory().messages('carol@example.org')).map(({ body }) => body)).toEqual(['one', 'two']);
    expect(setAside).toEqual(['three', 'four', 'five']);

    for (let i = 0; i < 5; i++) await history.record(fromBob({ body: `bob ${i}`, originId: `b-${i}` }));
    expect(await history.messages('bob@example.org')).toHaveLength(5);
  });

  it('forgets a conversation, file and all; a message after that starts it anew', async () => {
    const { history } = screened();
    await history.record(fromCarol('one', 'o-1'));
    await history.record(fromBob({ body: 'stays', originId: 'b-1' }));
    expect(await readdir(folder)).toHaveLength(2);

    await history.forget('Carol@example.org');
    expect(await readdir(folder)).toHaveLength(1);
    expect(await history.messages('carol@example.org')).toEqual([]);

    await history.record(fromCarol('again', 'o-1'));
    expect((await openHistory().messages('carol@example.org')).map(({ body }) => body)).toEqual(['again']);
    expect((await openHistory().messages('bob@example.org')).map(({ body }) => body)).toEqual(['stays']);
  });
});
