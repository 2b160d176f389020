import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HistoryDatabase } from '../session/history-database.js';
import { History } from '../session/history.js';
import { ConversationIndex } from './conversation-index.js';
import { importJsonlHistory } from './jsonl-history-import.js';

/** An account folder written by the JSONL history (see its README), with a torn line in bob's journal. */
const fixture = path.join(import.meta.dirname, 'testing', 'jsonl-account');

let folder: string;
let database: HistoryDatabase;
let faults: { level: string; message: string }[];

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'burrow-import-'));
  await cp(fixture, folder, { recursive: true });
  database = HistoryDatabase.open(path.join(folder, 'history.sqlite'), () => {});
  faults = [];
});

afterEach(async () => {
  database.close();
  await rm(folder, { recursive: true, force: true });
});

const importNow = () => importJsonlHistory(folder, database, (level, message) => faults.push({ level, message }));

describe('importing the JSONL history', () => {
  it('keeps every conversation as the old history showed it: states, stanza-ids, the archive’s order', async () => {
    expect(await importNow()).toBe(4);
    const history = new History(database);

    expect((await history.page('bob@example.org')).messages).toEqual([
      { id: 'local-1', peer: 'bob@example.org', direction: 'in', body: 'Café at noon?', at: '2026-11-20T10:00:00.000Z', sentAt: null, originId: 'b-1', stanzaId: 'arch-1', state: 'received', edited: false },
      { id: 'a-1', peer: 'bob@example.org', direction: 'out', body: 'Yes, see you there', at: '2026-11-20T10:01:00.000Z', sentAt: null, originId: 'a-1', stanzaId: null, state: 'delivered', edited: false },
      { id: 'local-2', peer: 'bob@example.org', direction: 'in', body: 'late live', at: '2026-11-20T10:02:00.000Z', sentAt: null, originId: 'b-3', stanzaId: 'arch-3', state: 'received', edited: false },
      { id: 'a-2', peer: 'bob@example.org', direction: 'out', body: 'bounced', at: '2026-11-20T10:03:00.000Z', sentAt: null, originId: 'a-2', stanzaId: null, state: 'failed', edited: false },
    ]);
    expect((await history.page('carol@example.org')).messages).toMatchObject([{ body: 'hello from carol', sentAt: '2026-11-21T08:00:00.000Z', stanzaId: 'arch-9' }]);
    expect((await history.page('stranger@elsewhere.test')).messages).toMatchObject([{ body: 'buy now' }]);
    // Copies are still known after the import.
    expect(await history.record({ peer: 'bob@example.org', direction: 'in', body: 'late live', at: '2026-11-20T10:05:00.000Z', sentAt: null, originId: null, stanzaId: 'arch-3', state: 'received' })).toMatchObject({
      added: false,
      duplicateOf: { id: 'local-2' },
    });
  });

  it('keeps the list of conversations and how far each was read; a stranger’s is not listed', async () => {
    await importNow();
    const index = new ConversationIndex(database);

    expect(index.peers()).toEqual(['bob@example.org', 'carol@example.org']);
    expect(index.readMark('bob@example.org')).toBe('2026-11-20T10:01:00.000Z');
    expect(index.unread('bob@example.org')).toBe(1);
    expect(index.unread('carol@example.org')).toBe(1);
    expect(index.has('stranger@elsewhere.test')).toBe(false);
  });

  it('tells of the damaged line with what it read', async () => {
    await importNow();
    expect(faults).toEqual([{ level: 'warning', message: expect.stringMatching(/^A damaged line of your history with bob@example.org was skipped; it read: .*half a sent$/) }]);
  });

  it('moves the old files aside, not away, and imports nothing twice', async () => {
    await importNow();
    expect(await readdir(folder)).not.toContain('conversations.jsonl');
    expect(await readdir(folder)).not.toContain('history');
    expect(await readdir(path.join(folder, 'migrated-history', 'history'))).toHaveLength(3);
    expect(await readdir(path.join(folder, 'migrated-history'))).toContain('conversations.jsonl');

    expect(await importNow()).toBe(0);
    expect(await new History(database).count('bob@example.org')).toBe(4);
  });

  it('imports a journal again without copies when a crash came between its import and its move', async () => {
    const journals = await readdir(path.join(folder, 'history'));
    await importNow();
    await cp(path.join(folder, 'migrated-history', 'history', journals[0]!), path.join(folder, 'history', journals[0]!));

    await importNow();
    const history = new History(database);
    expect((await history.count('bob@example.org')) + (await history.count('carol@example.org')) + (await history.count('stranger@elsewhere.test'))).toBe(6);
  });
});
