/** An account's folder in the user data folder: its outbox, history, archive position and conversation list. */
import path from 'node:path';

import { ArchivePositionStore } from '../session/archive-position.js';
import { History } from '../session/history.js';
import type { ReportFault } from '../session/journal.js';
import { Outbox } from '../session/outbox.js';
import { ConversationIndex } from './conversation-index.js';

export class AccountData {
  private constructor(
    readonly jid: string,
    readonly outbox: Outbox,
    readonly history: History,
    readonly archivePosition: ArchivePositionStore,
    readonly index: ConversationIndex,
  ) {}

  /** Keyed by the JID, not the community: renaming a community keeps its history, and another user gets their own. */
  static async open(dataDir: string, jid: string, reportFault?: ReportFault): Promise<AccountData> {
    const folder = path.join(dataDir, 'accounts', encodeURIComponent(jid));
    const outbox = await Outbox.open(path.join(folder, 'outbox'), reportFault ? { reportFault } : {});
    const index = await ConversationIndex.open(folder);
    return new AccountData(jid, outbox, new History(path.join(folder, 'history'), reportFault ? { reportFault } : {}), new ArchivePositionStore(folder), index);
  }

  async close(): Promise<void> {
    await Promise.all([this.outbox.close(), this.history.close(), this.index.close()]);
  }
}
