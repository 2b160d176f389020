import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HistoryDatabase } from '../session/history-database.js';
import { History } from '../session/history.js';
import { ConversationIndex } from './conversation-index.js';
import { MessageRequests } from './message-requests.js';

let folder: string;
const closing: (() => Promise<void>)[] = [];

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'burrow-requests-'));
});

afterEach(async () => {
  for (const close of closing.splice(0)) await close();
  await rm(folder, { recursive: true, force: true });
});

/** The requests and the history they screen, over `folder`, as an account opens them. */
async function open() {
  const database = HistoryDatabase.open(path.join(folder, 'history.sqlite'), () => {});
  const index = new ConversationIndex(database);
  const history = new History(database, { screen: { room: (message) => requests.room(message), setAside: () => {} } });
  const requests = await MessageRequests.open(folder, { history, index, isContact: () => false, letGo: { add: () => {} } });
  const close = async () => {
    await requests.close();
    database.close();
  };
  closing.push(close);
  return { history, requests, close };
}

const fromStranger = (n: number) => ({
  peer: `stranger${n}@elsewhere.test`,
  direction: 'in' as const,
  body: `hello from ${n}`,
  at: new Date(Date.UTC(2026, 10, 22, 10, 0, n)).toISOString(),
  sentAt: null,
  originId: `o-${n}`,
  stanzaId: null,
  state: 'received' as const,
});

describe('the message requests on disk', () => {
  it('keep their file small however many strangers come and go, and the newest 50 across a restart', async () => {
    const { history, requests, close } = await open();
    for (let n = 0; n < 150; n++) await history.record(fromStranger(n));
    await requests.dismiss('stranger149@elsewhere.test');
    await close();

    const lines = (await readFile(path.join(folder, 'message-requests.jsonl'), 'utf8')).split('\n').filter(Boolean);
    expect(lines.length).toBeLessThanOrEqual(200);
    const reopened = await open();
    const { requests: kept } = await reopened.requests.view('lab', (message) => ({ ...message, communityId: 'lab' }));
    expect(kept.map(({ peer }) => peer)).toEqual(Array.from({ length: 49 }, (_, i) => `stranger${100 + i}@elsewhere.test`));
  });
});
