/**
 * Full-text search of an account's history (SQLite FTS5, words folded to lower case and stripped
 * of diacritics: "cafe" finds "Café"). The user's words are quoted, so nothing typed is read as
 * query syntax; the last word matches as a prefix, since it may still be being typed.
 */
import type { HistoryDatabase } from './history-database.js';
import { messageOf, type HistoryMessage } from './history.js';

/** Where a word searched for is in a message's body: UTF-16 offsets, end exclusive. */
export interface TextRange {
  start: number;
  end: number;
}

export interface SearchHit {
  message: HistoryMessage;
  matches: TextRange[];
}

// Private-use characters mark the matches in highlight()'s copy of the body, to be taken out again.
const open = '\uE000';
const close = '\uE001';

/**
 * The newest messages, across the account's conversations, with every word of `query`. Not those of
 * a stranger's request (a conversation not listed): the user has not let that in.
 */
export function searchHistory(database: HistoryDatabase, query: string, limit: number): SearchHit[] {
  const match = matchExpression(query);
  if (match === null) return [];
  // The newest few are chosen first, walking the messages newest first against the matches' set;
  // only they are highlighted, however many messages match.
  const rows = database.all(
    `SELECT messages.*, conversations.peer, highlight(message_text, 0, :open, :close) AS marked
     FROM message_text
     JOIN messages ON messages.seq = message_text.rowid
     JOIN conversations ON conversations.id = messages.conversation
     WHERE message_text MATCH :match AND message_text.rowid IN (
       SELECT seq FROM messages INDEXED BY messages_by_time
       WHERE seq IN (SELECT rowid FROM message_text WHERE message_text MATCH :match)
         AND conversation IN (SELECT id FROM conversations WHERE listed)
       ORDER BY at_ms DESC, seq DESC LIMIT :limit
     )
     ORDER BY messages.at_ms DESC, messages.seq DESC`,
    { ':match': match, ':limit': limit, ':open': open, ':close': close },
  );
  return rows.map((row) => {
    const message = messageOf(row, row['peer'] as string);
    return { message, matches: rangesIn(row['marked'] as string, message.body) };
  });
}

/** The FTS5 expression for what the user typed: every word, quoted; the last as a prefix. Null when nothing is searchable. */
export function matchExpression(query: string): string | null {
  const words = query.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word));
  if (words.length === 0) return null;
  const stillTyping = !/\s$/.test(query);
  return words.map((word, index) => `"${word.replaceAll('"', '""')}"${stillTyping && index === words.length - 1 ? '*' : ''}`).join(' ');
}

/** The marked stretches of `marked`, as ranges of `body`; none when the body itself holds a marker character and the two cannot be told apart. */
function rangesIn(marked: string, body: string): TextRange[] {
  const ranges: TextRange[] = [];
  let offset = 0;
  let start = -1;
  for (const part of marked.split(/([\uE000\uE001])/)) {
    if (part === open) start = offset;
    else if (part === close && start >= 0) {
      ranges.push({ start, end: offset });
      start = -1;
    } else offset += part.length;
  }
  return marked.replace(/[\uE000\uE001]/g, '') === body ? ranges : [];
}
