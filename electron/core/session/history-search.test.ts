import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HistoryDatabase } from './history-database.js';
import { matchExpression, searchHistory } from './history-search.js';
import { History } from './history.js';
import type { NewMessage } from './history.js';

let folder: string;
let database: HistoryDatabase;
let history: History;

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'burrow-search-'));
  database = HistoryDatabase.open(path.join(folder, 'history.sqlite'), () => {});
  history = new History(database);
});

afterEach(async () => {
  database.close();
  await rm(folder, { recursive: true, force: true });
});

let second = 0;
/** A message in a conversation of the user's list (as the account lists every conversation it tells). */
const said = async (peer: string, body: string, overrides: Partial<NewMessage> = {}): Promise<void> => {
  await saidByStranger(peer, body, overrides);
  database.run('UPDATE conversations SET listed = 1 WHERE peer = :peer', { ':peer': peer });
};
/** A message kept in a stranger's request: its conversation is not listed. */
const saidByStranger = (peer: string, body: string, overrides: Partial<NewMessage> = {}): Promise<unknown> =>
  history.record({
    peer,
    direction: 'in',
    body,
    at: new Date(Date.UTC(2026, 10, 22, 10, 0, second++)).toISOString(),
    sentAt: null,
    originId: null,
    stanzaId: null,
    state: 'received',
    ...overrides,
  });
const found = (query: string, limit = 50) => searchHistory(database, query, limit).map(({ message }) => message.body);

describe('searching the history', () => {
  it('finds a corrected message by its new text, not by the text it replaced', async () => {
    await said('bob@example.org', 'meet at the bakrey', { senderId: 'b-1' });
    await history.correct({ peer: 'bob@example.org', direction: 'in', replaces: 'b-1', body: 'meet at the bakery', at: '2026-11-22T11:00:00.000Z' });

    expect(found('bakery')).toEqual(['meet at the bakery']);
    expect(found('bakrey')).toEqual([]);
  });

  it('finds messages of every conversation with all the words, newest first, whatever their case and accents', async () => {
    await said('bob@example.org', 'Lunch at the Café?');
    await said('carol@example.org', 'no lunch for me');
    await said('bob@example.org', 'the cafe is closed, lunch elsewhere');
    await said('bob@example.org', 'dinner then');

    expect(found('CAFE lunch ')).toEqual(['the cafe is closed, lunch elsewhere', 'Lunch at the Café?']);
    expect(searchHistory(database, 'lunch', 50).map(({ message }) => message.peer)).toEqual(['bob@example.org', 'carol@example.org', 'bob@example.org']);
  });

  it('leaves out what strangers wrote in their requests, however new', async () => {
    await said('bob@example.org', 'cheap tickets for the show?');
    await saidByStranger('spammer@elsewhere.test', 'CHEAP TICKETS click here');

    expect(found('cheap tickets', 1)).toEqual(['cheap tickets for the show?']);
  });

  it('matches the last word as it is being typed, the others whole', async () => {
    await said('bob@example.org', 'see you tomorrow');
    await said('bob@example.org', 'tomato soup');

    expect(found('tom')).toEqual(['tomato soup', 'see you tomorrow']);
    expect(found('tom ')).toEqual([]);
    expect(found('see tom')).toEqual(['see you tomorrow']);
  });

  it('says where each match is in the body, for the UI to mark', async () => {
    await said('bob@example.org', 'Café? Yes, the café near the cafeteria');

    expect(searchHistory(database, 'cafe', 50)[0]?.matches).toEqual([
      { start: 0, end: 4 },
      { start: 15, end: 19 },
      { start: 29, end: 38 },
    ]);
  });

  it('reads nothing typed as query syntax', async () => {
    await said('bob@example.org', 'he said "AND" OR NOT near(this) -minus col:on star* ^caret');

    for (const query of ['"AND"', 'OR NOT', 'near(this)', '-minus', 'col:on', 'star*', '^caret', '"', 'AND', ')(']) {
      expect(() => found(query), query).not.toThrow();
    }
    expect(found('"AND" OR')).toHaveLength(1);
    expect(found('col:on')).toHaveLength(1);
    expect(found('*** ')).toEqual([]);
    expect(matchExpression('say "hi"')).toBe('"say" """hi"""*');
  });

  it('returns at most the limit, the newest', async () => {
    for (let n = 0; n < 30; n++) await said('bob@example.org', `note ${n}`);
    expect(found('note', 3)).toEqual(['note 29', 'note 28', 'note 27']);
  });

  it('forgets with the conversation, and finds a message placed back in the archive’s order once', async () => {
    await said('carol@example.org', 'secret plan');
    await history.forget('carol@example.org');
    expect(found('secret')).toEqual([]);

    await said('bob@example.org', 'moved plan', { originId: 'o-1', at: '2026-11-22T11:00:00.000Z' });
    await said('bob@example.org', 'moved plan', { originId: 'o-1', stanzaId: 's-1', at: '2026-11-22T09:00:00.000Z' });
    await history.record({ peer: 'bob@example.org', direction: 'in', body: 'moved plan', at: '2026-11-22T09:00:00.000Z', sentAt: null, originId: 'o-1', stanzaId: 's-1', state: 'received' }, { archiveOrder: true });
    expect(searchHistory(database, 'plan', 50).map(({ message }) => message.at)).toEqual(['2026-11-22T09:00:00.000Z']);
  });
});
