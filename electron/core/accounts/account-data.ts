/** An account's folder in the user data folder: its outbox, history, archive position, conversation list and message requests. */
import path from 'node:path';

import { ArchivePositionStore } from '../session/archive-position.js';
import { History } from '../session/history.js';
import type { ReportFault } from '../session/journal.js';
import { Outbox } from '../session/outbox.js';
import { ConversationIndex } from './conversation-index.js';
import { MessageRequests, type MessageRequestsDeps } from './message-requests.js';

export interface AccountDataOptions extends Pick<MessageRequestsDeps, 'isContact' | 'letGo'> {
  reportFault?: ReportFault;
}

export class AccountData {
  private constructor(
    readonly jid: string,
    readonly outbox: Outbox,
    readonly history: History,
    readonly archivePosition: ArchivePositionStore,
    readonly index: ConversationIndex,
    readonly requests: MessageRequests,
  ) {}

  /** Keyed by the JID, not the community: renaming a community keeps its history, and another user gets their own. */
  static async open(dataDir: string, jid: string, { reportFault, isContact, letGo }: AccountDataOptions): Promise<AccountData> {
    const folder = path.join(dataDir, 'accounts', encodeURIComponent(jid));
    const outbox = await Outbox.open(path.join(folder, 'outbox'), reportFault ? { reportFault } : {});
    const index = await ConversationIndex.open(folder);
    // The history asks the requests how much of a stranger's messages to keep; the requests let a conversation go through the history.
    const screen = { room: (...args: Parameters<MessageRequests['room']>) => requests.room(...args), setAside: () => requests.setAside() };
    const history = new History(path.join(folder, 'history'), { screen, ...(reportFault ? { reportFault } : {}) });
    const requests = await MessageRequests.open(folder, { history, index, isContact, letGo });
    return new AccountData(jid, outbox, history, new ArchivePositionStore(folder), index, requests);
  }

  async close(): Promise<void> {
    await Promise.all([this.outbox.close(), this.history.close(), this.index.close(), this.requests.close()]);
  }
}
