/**
 * A session over a data folder's outbox, history and archive position, opened as the app opens
 * one on each start, for tests of the session layer.
 */
import path from 'node:path';

import { ArchivePositionStore } from '../archive-position.js';
import { HistoryDatabase } from '../history-database.js';
import { History } from '../history.js';
import { Outbox } from '../outbox.js';
import { Session, type SessionEvent, type SessionOptions } from '../session.js';

export interface SessionOverFolderOptions extends Partial<Omit<SessionOptions, 'outbox' | 'history' | 'archivePosition' | 'onEvent'>> {
  newOriginId: () => string;
  /** Runs once the outbox is open and before the history opens (a test closes the last run's history there). */
  beforeHistoryOpens?: () => void;
}

/** What the test must close afterwards goes into `closing`. */
export async function openSessionOverFolder(folder: string, closing: (() => Promise<void>)[], { newOriginId, beforeHistoryOpens, ...options }: SessionOverFolderOptions) {
  let queryIds = 0;
  const outbox = await Outbox.open(folder, { newOriginId });
  beforeHistoryOpens?.();
  const database = HistoryDatabase.open(path.join(folder, 'history.sqlite'), () => {});
  const history = new History(database);
  closing.push(() => outbox.close(), async () => database.close());
  const events: SessionEvent[] = [];
  const session = await Session.open({
    account: 'alice@example.org',
    outbox,
    history,
    archivePosition: new ArchivePositionStore(folder),
    onEvent: (event) => events.push(event),
    newQueryId: () => `query-${++queryIds}`,
    ...options,
  });
  return { session, outbox, history, database, events };
}
