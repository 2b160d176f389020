/**
 * Filling an account's data folder with one long conversation before Burrow starts on it, for the
 * scale bench. The page measurements take the filler as a parameter.
 */
import { mkdir } from 'node:fs/promises';

import { accountFolder, historyDatabaseFile } from '../electron/core/accounts/account-data.js';
import { ConversationIndex } from '../electron/core/accounts/conversation-index.js';
import { HistoryDatabase } from '../electron/core/session/history-database.js';
import { insertMessage, startConversation } from '../electron/core/session/history.js';

/** Puts `count` messages between `account` and `peer` (bare JIDs) into the data folder `dataDir`, the newest with `filledBody(count - 1)`. */
export type FillConversation = (dataDir: string, account: string, peer: string, count: number) => Promise<void>;

/** The body of message `index` (0 the oldest); the bench looks for the newest on screen. */
export const filledBody = (index: number) => `Scale message ${index}`;

const minuteMs = 60_000;

/**
 * Straight into the account's history database, in one transaction: one message a minute up to a
 * minute ago, alternately from each side; listed in the account's conversations and read up to
 * the newest, as the app leaves it.
 */
export const fillHistoryDatabase: FillConversation = async (dataDir, account, peer, count) => {
  const folder = accountFolder(dataDir, account);
  await mkdir(folder, { recursive: true });
  const database = HistoryDatabase.open(historyDatabaseFile(folder), (level, message) => console.error(`${level}: ${message}`));
  const firstAt = Date.now() - (count + 1) * minuteMs;
  try {
    database.transaction(() => {
      const conversation = startConversation(database, peer);
      for (let index = 0; index < count; index += 1) {
        const outgoing = index % 2 === 1;
        insertMessage(database, conversation, {
          id: `filled-${index}`,
          peer,
          direction: outgoing ? 'out' : 'in',
          body: filledBody(index),
          at: new Date(firstAt + index * minuteMs).toISOString(),
          sentAt: null,
          originId: null,
          stanzaId: null,
          state: outgoing ? 'delivered' : 'received',
        });
      }
    });
    const index = new ConversationIndex(database);
    await index.add(peer);
    await index.markRead(peer, new Date(firstAt + (count - 1) * minuteMs).toISOString());
  } finally {
    database.close();
  }
};
