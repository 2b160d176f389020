/**
 * History at scale, at the core: one conversation of many messages in a temporary account
 * history, then what the user waits for: sending, opening the conversation, searching, marking
 * it read. No network and no UI; the figures are the store's own.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { ConversationIndex } from '../electron/core/accounts/conversation-index.js';
import { HistoryDatabase } from '../electron/core/session/history-database.js';
import { searchHistory } from '../electron/core/session/history-search.js';
import { History, insertMessage, startConversation } from '../electron/core/session/history.js';
import { median } from './statistics.js';

export interface ScaleCoreOptions {
  /** Messages in the conversation before anything is measured. */
  messages?: number;
  /** Messages recorded one by one, as sending records them, for the median. */
  sends?: number;
  searches?: number;
}

export interface ScaleCoreResult {
  messages: number;
  /** Writing the conversation, in one transaction. */
  fillMs: number;
  coreSendP50Ms: number | null;
  /** Opening the database afresh and reading the newest page of 100. */
  coreOpenMs: number;
  /** Median of searches for a word in about 1 % of the messages, 50 results. */
  searchMs: number | null;
  /** Marking the conversation read and counting what is left unread, as the account does. */
  markReadMs: number;
  dbBytes: number;
}

const peer = 'bob@example.org';
/** Words each in about 1 % of the messages: what is searched for. */
const rareWords = ['zebra', 'quokka', 'narwhal', 'axolotl', 'pangolin'];
const commonWords = ['meeting', 'lunch', 'report', 'tomorrow', 'thanks', 'call', 'draft', 'review', 'café', 'weekend', 'budget', 'deadline'];

function body(n: number): string {
  const words = Array.from({ length: 8 }, (_, i) => commonWords[(n * 7 + i * 3) % commonWords.length]);
  if (n % 100 === 0) words.splice(3, 0, rareWords[(n / 100) % rareWords.length]!);
  return `Message ${n}: ${words.join(' ')}.`;
}

export async function benchScaleCore({ messages = 100_000, sends = 200, searches = 5 }: ScaleCoreOptions = {}): Promise<ScaleCoreResult> {
  const folder = await mkdtemp(path.join(tmpdir(), 'burrow-scale-core-'));
  const file = path.join(folder, 'history.sqlite');
  const reportFault = (level: string, message: string) => console.error(`${level}: ${message}`);
  try {
    let database = HistoryDatabase.open(file, reportFault);
    const start = Date.UTC(2026, 0, 1);
    const fillStarted = performance.now();
    database.transaction(() => {
      const conversation = startConversation(database, peer);
      for (let n = 0; n < messages; n++) {
        const direction = n % 2 === 0 ? 'in' : 'out';
        insertMessage(database, conversation, {
          id: `m-${n}`,
          peer,
          direction,
          body: body(n),
          at: new Date(start + n * 60_000).toISOString(),
          sentAt: null,
          originId: `o-${n}`,
          stanzaId: `s-${n}`,
          state: direction === 'in' ? 'received' : 'delivered',
        });
      }
    });
    const fillMs = performance.now() - fillStarted;
    await new ConversationIndex(database).add(peer);
    // Measured as on a later start, not in the wake of the bulk write.
    database.close();
    database = HistoryDatabase.open(file, reportFault);

    const history = new History(database);
    const sendTimes: number[] = [];
    for (let n = 0; n < sends; n++) {
      const started = performance.now();
      await history.record({ peer, direction: 'out', body: `sent ${n}`, at: new Date().toISOString(), sentAt: null, originId: `sent-${n}`, stanzaId: null, state: 'queued' });
      sendTimes.push(performance.now() - started);
    }

    database.close();
    const openStarted = performance.now();
    database = HistoryDatabase.open(file, reportFault);
    const page = await new History(database).page(peer, {}, 100);
    const coreOpenMs = performance.now() - openStarted;
    if (page.messages.length !== 100) throw new Error(`the newest page held ${page.messages.length} messages, not 100`);

    const searchTimes: number[] = [];
    for (let n = 0; n < searches; n++) {
      const started = performance.now();
      const results = searchHistory(database, rareWords[n % rareWords.length]!, 50);
      searchTimes.push(performance.now() - started);
      if (results.length !== Math.min(50, Math.ceil(messages / 100 / rareWords.length))) throw new Error(`a search found ${results.length} messages`);
    }

    const index = new ConversationIndex(database);
    const reopened = new History(database);
    const markStarted = performance.now();
    const last = await reopened.last(peer);
    await index.markRead(peer, last!.at);
    index.unread(peer);
    await reopened.last(peer);
    const markReadMs = performance.now() - markStarted;

    database.close();
    return {
      messages,
      fillMs: Math.round(fillMs),
      coreSendP50Ms: median(sendTimes),
      coreOpenMs: Math.round(coreOpenMs * 10) / 10,
      searchMs: median(searchTimes),
      markReadMs: Math.round(markReadMs * 10) / 10,
      dbBytes: (await stat(file)).size,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
