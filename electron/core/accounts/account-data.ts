/** An account's folder in the user data folder: its outbox, history database, archive position, message requests and the rooms it is in. */
import path from 'node:path';

import { ArchivePositionStore } from '../session/archive-position.js';
import { HistoryDatabase } from '../session/history-database.js';
import { searchHistory, type SearchHit } from '../session/history-search.js';
import { History } from '../session/history.js';
import { reportFaultToConsole, type ReportFault } from '../session/journal.js';
import { Outbox } from '../session/outbox.js';
import type { RememberedRooms } from './account-rooms.js';
import { ConversationIndex } from './conversation-index.js';
import { importJsonlHistory } from './jsonl-history-import.js';
import { MessageRequests, type MessageRequestsDeps } from './message-requests.js';
import { fileMemoryStore } from './remembered-file.js';

export interface AccountDataOptions extends Pick<MessageRequestsDeps, 'isContact' | 'letGo'> {
  reportFault?: ReportFault;
}

export class AccountData {
  private constructor(
    readonly jid: string,
    readonly outbox: Outbox,
    private readonly database: HistoryDatabase,
    readonly history: History,
    readonly archivePosition: ArchivePositionStore,
    readonly index: ConversationIndex,
    readonly requests: MessageRequests,
    readonly rooms: RememberedRooms,
  ) {}

  /** Keyed by the JID, not the community: renaming a community keeps its history, and another user gets their own. */
  static async open(dataDir: string, jid: string, { reportFault = reportFaultToConsole, isContact, letGo }: AccountDataOptions): Promise<AccountData> {
    const folder = accountFolder(dataDir, jid);
    const outbox = await Outbox.open(path.join(folder, 'outbox'), { reportFault });
    const database = HistoryDatabase.open(historyDatabaseFile(folder), reportFault);
    try {
      await importJsonlHistory(folder, database, reportFault);
      const index = new ConversationIndex(database);
      // The history asks the requests how much of a stranger's messages to keep; the requests let a conversation go through the history.
      const screen = { room: (...args: Parameters<MessageRequests['room']>) => requests.room(...args), setAside: () => requests.setAside() };
      const history = new History(database, { screen });
      const requests = await MessageRequests.open(folder, { history, index, isContact, letGo });
      return new AccountData(jid, outbox, database, history, new ArchivePositionStore(folder), index, requests, fileMemoryStore(folder, 'rooms.json'));
    } catch (error) {
      database.close();
      await outbox.close();
      throw error;
    }
  }

  /** Messages of every conversation with the words of `query`, newest first. */
  search(query: string, limit: number): SearchHit[] {
    return searchHistory(this.database, query, limit);
  }

  async close(): Promise<void> {
    await Promise.all([this.outbox.close(), this.requests.close(), this.archivePosition.close()]);
    this.database.close();
  }
}

export function accountFolder(dataDir: string, jid: string): string {
  return path.join(dataDir, 'accounts', encodeURIComponent(jid));
}

export function historyDatabaseFile(accountFolder: string): string {
  return path.join(accountFolder, 'history.sqlite');
}
