/**
 * The history as Burrow kept it before its database: one JSONL journal per conversation in
 * `history/` and the read marks in `conversations.jsonl`. On the first start with the database,
 * each file is read as the old code read it (damaged lines told, not dropped unseen), written into
 * the database in one transaction, then moved into `migrated-history/`, never deleted. A file
 * imported but not yet moved (a crash between the two) is imported again without copies.
 */
import { mkdir, readdir, rename, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

import type { HistoryDatabase } from '../session/history-database.js';
import { HistoryMessage, insertMessage, startConversation, timeOf } from '../session/history.js';
import { excerpt, Journal, type ReportFault } from '../session/journal.js';

const MessageState = HistoryMessage.shape.state;
/** A message as the journals held it: they knew no corrections. */
const JournalMessage = HistoryMessage.omit({ edited: true });
type JournalMessage = z.infer<typeof JournalMessage>;
const HistoryEntry = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), message: JournalMessage }),
  z.object({ kind: z.literal('state'), id: z.string(), state: MessageState }),
  z.object({ kind: z.literal('stanza-id'), id: z.string(), stanzaId: z.string() }),
  z.object({ kind: z.literal('placed'), id: z.string(), at: z.string() }),
]);
type HistoryEntry = z.infer<typeof HistoryEntry>;

const ConversationEntry = z.object({ peer: z.string().min(1), readUpTo: z.string().nullable() });

export const migratedFolderName = 'migrated-history';

/** Imports whatever JSONL history `accountFolder` still has; returns how many files were. */
export async function importJsonlHistory(accountFolder: string, database: HistoryDatabase, reportFault: ReportFault): Promise<number> {
  const historyFolder = path.join(accountFolder, 'history');
  const journals = (await listing(historyFolder)).filter((name) => name.endsWith('.jsonl'));
  const hasIndex = (await listing(accountFolder)).includes('conversations.jsonl');
  if (journals.length === 0 && !hasIndex) return 0;
  const aside = path.join(accountFolder, migratedFolderName);
  await mkdir(path.join(aside, 'history'), { recursive: true });
  for (const name of journals) {
    const file = path.join(historyFolder, name);
    await importConversation(file, database, reportFault);
    await rename(file, path.join(aside, 'history', name));
  }
  await rmdir(historyFolder).catch(() => {});
  if (hasIndex) {
    const file = path.join(accountFolder, 'conversations.jsonl');
    await importConversationList(file, database, reportFault);
    await rename(file, path.join(aside, 'conversations.jsonl'));
  }
  return journals.length + (hasIndex ? 1 : 0);
}

/** Replays the journal as the old history did, then writes the conversation as it stood. */
async function importConversation(file: string, database: HistoryDatabase, reportFault: ReportFault): Promise<void> {
  const damaged: string[] = [];
  const entries = await new Journal(file, HistoryEntry, (line) => damaged.push(line)).read();
  const messages = replay(entries);
  const peer = [...messages.values()][0]?.peer;
  const who = peer ?? `the conversation in ${path.basename(file)}`;
  for (const line of damaged) reportFault('warning', `A damaged line of your history with ${who} was skipped; it read: ${excerpt(line)}`);
  if (peer === undefined) return;
  database.transaction(() => {
    const conversation = startConversation(database, peer);
    const known = new Set(database.all('SELECT id FROM messages WHERE conversation = :conversation', { ':conversation': conversation }).map((row) => row['id']));
    for (const message of messages.values()) if (!known.has(message.id)) insertMessage(database, conversation, message);
  });
}

/** The conversation as the old history held it: in storage order, a re-placed message moved to the end. */
function replay(entries: HistoryEntry[]): Map<string, JournalMessage> {
  const byId = new Map<string, JournalMessage>();
  const seen = new Map<string, JournalMessage>();
  const keys = (message: JournalMessage) => [
    ...(message.stanzaId === null ? [] : [`stanza:${message.stanzaId}`]),
    ...(message.originId === null ? [] : [`origin:${message.direction}:${message.originId}`]),
  ];
  const index = (message: JournalMessage) => keys(message).forEach((key) => seen.set(key, message));
  for (const entry of entries) {
    if (entry.kind === 'message') {
      if (byId.has(entry.message.id) || keys(entry.message).some((key) => seen.has(key))) continue;
      const message = { ...entry.message };
      byId.set(message.id, message);
      index(message);
      continue;
    }
    const message = byId.get(entry.id);
    if (!message) continue;
    if (entry.kind === 'state') message.state = entry.state;
    else if (entry.kind === 'placed') {
      byId.delete(message.id);
      message.at = entry.at;
      byId.set(message.id, message);
    } else {
      message.stanzaId = entry.stanzaId;
      index(message);
    }
  }
  return byId;
}

async function importConversationList(file: string, database: HistoryDatabase, reportFault: ReportFault): Promise<void> {
  const readUpTo = new Map<string, string | null>();
  const onDamagedLine = (line: string) => reportFault('warning', `A damaged line of your list of conversations was skipped; it read: ${excerpt(line)}`);
  for (const entry of await new Journal(file, ConversationEntry, onDamagedLine).read()) readUpTo.set(entry.peer, entry.readUpTo);
  database.transaction(() => {
    for (const [peer, upTo] of readUpTo) {
      const conversation = startConversation(database, peer);
      database.run('UPDATE conversations SET listed = 1, read_up_to = :upTo, read_up_to_ms = :upToMs WHERE id = :conversation', {
        ':conversation': conversation,
        ':upTo': upTo,
        ':upToMs': upTo === null ? null : timeOf(upTo),
      });
    }
  });
}

async function listing(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
