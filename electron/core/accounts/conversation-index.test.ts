import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HistoryDatabase } from '../session/history-database.js';
import { History } from '../session/history.js';
import { fromBobNumbered } from '../session/testing/history-messages.js';
import { ConversationIndex } from './conversation-index.js';

let folder: string;
let database: HistoryDatabase;

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'burrow-conversation-index-'));
  database = HistoryDatabase.open(path.join(folder, 'history.sqlite'), () => {});
});

afterEach(async () => {
  database.close();
  await rm(folder, { recursive: true, force: true });
});

describe('the conversation index', () => {
  it("keeps each conversation's unread count as messages come, go and move across the read mark", async () => {
    const history = new History(database);
    const index = new ConversationIndex(database);
    await index.add('bob@example.org');
    for (let n = 1; n <= 4; n++) await history.record(fromBobNumbered(n));
    expect(index.unread('bob@example.org')).toBe(4);

    await index.markRead('bob@example.org', fromBobNumbered(2).at);
    expect(index.unread('bob@example.org')).toBe(2);

    // The archive places the fourth, delivered live late, before the read mark.
    await history.record({ ...fromBobNumbered(4), at: fromBobNumbered(1).at }, { archiveOrder: true });
    expect(index.unread('bob@example.org')).toBe(1);

    await history.record(fromBobNumbered(5));
    expect(index.unread('bob@example.org')).toBe(2);
    // A listed conversation stays when its messages are let go.
    await history.forget('bob@example.org');
    expect(index.has('bob@example.org')).toBe(true);
    expect(index.unread('bob@example.org')).toBe(0);
  });
});
