/**
 * Filling an account's data folder with one long conversation before Burrow starts on it, for the
 * scale bench. The page measurements take the filler as a parameter: today's is below, through
 * History's public API; a faster one for the SQLite history plugs in without changing them.
 */
import { AccountData } from '../electron/core/accounts/account-data.js';
import { LetGo } from '../electron/core/accounts/let-go.js';

/** Puts `count` messages between `account` and `peer` (bare JIDs) into the data folder `dataDir`, the newest with `filledBody(count - 1)`. */
export type FillConversation = (dataDir: string, account: string, peer: string, count: number) => Promise<void>;

/** The body of message `index` (0 the oldest); the bench looks for the newest on screen. */
export const filledBody = (index: number) => `Scale message ${index}`;

/** Records this many at once: History writes each to its journal in call order anyway. */
const batch = 1_000;
const minuteMs = 60_000;

/**
 * Through History.record, one message a minute up to a minute ago, alternately from each side;
 * listed in the account's conversations and read up to the newest, as the app leaves it.
 */
export const fillThroughHistory: FillConversation = async (dataDir, account, peer, count) => {
  const data = await AccountData.open(dataDir, account, { isContact: () => true, letGo: new LetGo(() => {}) });
  const firstAt = Date.now() - (count + 1) * minuteMs;
  try {
    for (let start = 0; start < count; start += batch) {
      const indexes = Array.from({ length: Math.min(batch, count - start) }, (_, offset) => start + offset);
      await Promise.all(
        indexes.map((index) => {
          const outgoing = index % 2 === 1;
          return data.history.record({
            peer,
            direction: outgoing ? 'out' : 'in',
            body: filledBody(index),
            at: new Date(firstAt + index * minuteMs).toISOString(),
            sentAt: null,
            originId: null,
            stanzaId: null,
            state: outgoing ? 'delivered' : 'received',
          });
        }),
      );
    }
    await data.index.add(peer);
    await data.index.markRead(peer, new Date(firstAt + (count - 1) * minuteMs).toISOString());
  } finally {
    await data.close();
  }
};
