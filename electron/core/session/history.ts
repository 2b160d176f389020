/**
 * Message history, in the account's history database. Inbound copies of a message (live, carbon,
 * archive, a peer's re-send after its failed resume) are recognised by the server archive's
 * stanza-id or the sender's origin-id and kept once. A conversation is read a page at a time,
 * never whole.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

import type { HistoryDatabase, Row } from './history-database.js';
import { requireConversationJid } from './stanzas/jid.js';

const MessageState = z.enum(['queued', 'sent', 'delivered', 'failed', 'received']);
/** queued → sent (the server acknowledged it) → delivered (XEP-0184 receipt); failed; `received` for inbound messages. */
export type MessageState = z.infer<typeof MessageState>;

export const HistoryMessage = z.object({
  /** Burrow's own id: the origin-id of a message sent from here (receipts name it), else a local id. */
  id: z.string().min(1),
  /** The other party's bare JID; for a private chat through a room, the occupant's full JID. */
  peer: z.string().min(1),
  direction: z.enum(['in', 'out']),
  body: z.string(),
  /** ISO 8601, what the conversation is ordered by: when Burrow stored or received it, or the archive's time for a message filled in from there. */
  at: z.string(),
  /** ISO 8601, when the server says it was sent (a message held back while the user was offline), if it says. */
  sentAt: z.string().nullable(),
  originId: z.string().nullable(),
  /** The id the user's own archive gave it (XEP-0359 stanza-id by the user's bare JID). */
  stanzaId: z.string().nullable(),
  state: MessageState,
  /** Its sender corrected it (XEP-0308): `body` is the corrected text. */
  edited: z.boolean(),
  /** The user's last correction of it did not reach the peer: the stanza error's condition. */
  correctionFailure: z.string().optional(),
  /** In a room: the nickname of the occupant who wrote it. Absent in a one-to-one conversation. */
  sender: z.string().optional(),
  /** In a room: it names the user's nickname. */
  mention: z.literal(true).optional(),
});
export type HistoryMessage = z.infer<typeof HistoryMessage>;

export type NewMessage = Omit<HistoryMessage, 'id' | 'edited'> & {
  /** The id its sender gave the stanza, which a correction names: the origin-id unless given. */
  senderId?: string | null;
};

/** A correction (XEP-0308) of a message in the conversation with `peer`, made by the side `direction` says. */
export interface Correction {
  peer: string;
  direction: HistoryMessage['direction'];
  /** The id its sender gave the message it corrects. */
  replaces: string;
  body: string;
  /**
   * ISO 8601, when it was made (as the archive or a delay stamp says) or came: an older correction
   * arriving late (from the archive) does not undo a newer one. Stamps may be to the second: of two
   * in the same second, the one that comes later wins.
   */
  at: string;
}

export type CorrectionOutcome =
  | { kind: 'corrected'; message: HistoryMessage }
  /** Applied already, or older than the correction applied. */
  | { kind: 'unchanged'; message: HistoryMessage }
  /** It names a message of the other side's: only a message's sender may correct it. */
  | { kind: 'not-the-sender'; message: HistoryMessage }
  | { kind: 'not-found' };
export type RecordOutcome =
  | { added: true; message: HistoryMessage }
  /**
   * Not added: a copy of `duplicateOf`, which is here already; or, set aside, a message its
   * conversation has no room for (`duplicateOf` is then that message as it came).
   */
  | { added: false; duplicateOf: HistoryMessage; setAside?: true };

/** Decides how much of a conversation is kept: Burrow keeps only so much from people the user does not know. */
export interface Screen {
  /** At most how many messages the conversation of `message` may hold (Infinity: no limit). */
  room(message: NewMessage): Promise<number>;
  /** `message` was not kept: its conversation had no room left. */
  setAside(message: NewMessage): void;
}

export interface HistoryOptions {
  newLocalId?: () => string;
  screen?: Screen;
}

/**
 * Which page of a conversation: the newest (no cursor), the one before or after a cursor a page
 * gave, or the one around a message (a search result shown in its context).
 */
export type PagePlace = { before: string } | { after: string } | { around: string } | Record<string, never>;

export interface Page {
  /** Oldest first. */
  messages: HistoryMessage[];
  /** Where the page before this one ends; null when this page starts the conversation. */
  olderCursor: string | null;
  /** Where the page after this one starts; null when this page ends the conversation. */
  newerCursor: string | null;
}

export const defaultPageSize = 100;

/** A place in a conversation's order: the message's time, then its storage order. */
interface Position {
  atMs: number;
  seq: number;
}

export class History {
  private readonly newLocalId: () => string;
  /**
   * Each conversation's newest message, once read, kept as writes change it: every message and state
   * change tells its conversation's newest, and reading it again from the database each time was a
   * good part of what a message cost. Null: the conversation has none.
   */
  private readonly newest = new Map<string, HistoryMessage | null>();
  /** The database's count of rolled-back commits when `newest` was last trusted. */
  private newestRollbacks = 0;

  constructor(
    private readonly database: HistoryDatabase,
    private readonly options: HistoryOptions = {},
  ) {
    this.newLocalId = options.newLocalId ?? randomUUID;
  }

  /**
   * Adds a message unless it is a copy of one already here. `archiveOrder`: the copy comes from the
   * server's archive, and its `at` is where the archive's order places it; an inbound message
   * already here but later than that (the server delivered it live after a newer one) moves back
   * to its place. Every read sees it when this resolves; it is on disk once `committed()` resolves.
   */
  async record(message: NewMessage, { archiveOrder = false }: { archiveOrder?: boolean } = {}): Promise<RecordOutcome> {
    const placed = { ...message, peer: requireConversationJid(message.peer) };
    const room = (await this.options.screen?.room(placed)) ?? Infinity;
    // From here on synchronous, all or nothing: two copies arriving together are still one.
    const outcome = await this.database.write(() => this.recordNow(placed, archiveOrder, room));
    if (!outcome.added && outcome.setAside) this.options.screen?.setAside(placed);
    return outcome;
  }

  /** Resolves once everything recorded so far is on disk. */
  committed(): Promise<void> {
    return this.database.committed();
  }

  /** Moves a message's state forward and returns it moved; null when the move makes no sense (e.g. delivered → sent). */
  setState(peer: string, id: string, state: MessageState): Promise<HistoryMessage | null> {
    const bare = requireConversationJid(peer);
    const sql = moveStateSql[state];
    if (sql === undefined) return Promise.resolve(null);
    return this.database.write(() => {
      const row = this.database.get(sql, { ':state': state, ':peer': bare, ':id': id });
      return row ? this.changedInPlace(messageOf(row, bare)) : null;
    });
  }

  /** Replaces the text of the message a correction names, if it is the corrector's own. On disk when this resolves. */
  correct(correction: Correction): Promise<CorrectionOutcome> {
    const peer = requireConversationJid(correction.peer);
    return this.database.write(() => this.correctNow({ ...correction, peer }));
  }

  /**
   * The user's correction of their message `replaces`, to `body`, was refused (`failure`: the stanza
   * error's condition): the message says so, unless a later correction has changed its text since.
   * The message, when it is marked now.
   */
  correctionFailed(peer: string, replaces: string, body: string, failure: string): Promise<HistoryMessage | null> {
    const bare = requireConversationJid(peer);
    return this.database.write(() => {
      const row = this.database.get(`SELECT seq FROM messages WHERE conversation = (${conversationOf}) AND direction = 'out' AND sender_id = :replaces AND body = :body`, {
        ':peer': bare,
        ':replaces': replaces,
        ':body': body,
      });
      if (!row) return null;
      this.database.run('UPDATE messages SET correction_failure = :failure WHERE seq = :seq', { ':failure': failure, ':seq': row['seq'] as number });
      return this.changedInPlace(messageOf(this.database.get('SELECT * FROM messages WHERE seq = :seq', { ':seq': row['seq'] as number })!, bare));
    });
  }

  /** The id its sender gave a message: what a correction of it names. */
  async senderId(peer: string, id: string): Promise<string | null> {
    const row = this.database.get(`SELECT sender_id FROM messages WHERE conversation = (${conversationOf}) AND id = :id`, { ':peer': requireConversationJid(peer), ':id': id });
    return (row?.['sender_id'] as string | null | undefined) ?? null;
  }

  async message(peer: string, id: string): Promise<HistoryMessage | undefined> {
    const bare = requireConversationJid(peer);
    const row = this.database.get(`SELECT * FROM messages WHERE conversation = (${conversationOf}) AND id = :id`, { ':peer': bare, ':id': id });
    return row && messageOf(row, bare);
  }

  /** A page of the conversation, in order: by time, then in the order stored. */
  async page(peer: string, place: PagePlace = {}, limit = defaultPageSize): Promise<Page> {
    const bare = requireConversationJid(peer);
    const conversation = this.conversationId(bare);
    if (conversation === undefined) return { messages: [], olderCursor: null, newerCursor: null };
    const read = (direction: 'older' | 'newer', from: Position | null, inclusive: boolean, count: number) => {
      const rows = this.rows(conversation, direction, from, inclusive, count + 1);
      const more = rows.length > count;
      const messages = rows.slice(0, count).map((row) => messageOf(row, bare));
      return { messages: direction === 'older' ? messages.reverse() : messages, more, rows: rows.slice(0, count) };
    };
    if ('before' in place || 'after' in place || 'around' in place) {
      const anchor = 'around' in place ? this.position(conversation, place.around) : parseCursor('before' in place ? place.before : place.after);
      if (!anchor) return { messages: [], olderCursor: null, newerCursor: null };
      if ('before' in place) {
        const older = read('older', anchor, false, limit);
        return { messages: older.messages, olderCursor: older.more ? cursorOf(older.rows.at(-1)!) : null, newerCursor: cursorOf(older.rows[0] ?? null, anchor) };
      }
      if ('after' in place) {
        const newer = read('newer', anchor, false, limit);
        return { messages: newer.messages, olderCursor: cursorOf(newer.rows[0] ?? null, anchor), newerCursor: newer.more ? cursorOf(newer.rows.at(-1)!) : null };
      }
      // The message in the middle; a side that runs out leaves its share to the other.
      let newer = read('newer', anchor, true, limit - Math.floor((limit - 1) / 2));
      const older = read('older', anchor, false, limit - newer.messages.length);
      if (newer.more && older.messages.length + newer.messages.length < limit) newer = read('newer', anchor, true, limit - older.messages.length);
      const first = older.rows.at(-1) ?? newer.rows[0]!;
      return {
        messages: [...older.messages, ...newer.messages],
        olderCursor: older.more ? cursorOf(first) : null,
        newerCursor: newer.more ? cursorOf(newer.rows.at(-1)!) : null,
      };
    }
    const newest = read('older', null, false, limit);
    return { messages: newest.messages, olderCursor: newest.more ? cursorOf(newest.rows.at(-1)!) : null, newerCursor: null };
  }

  /** The conversation's newest message, if it has any. */
  async last(peer: string): Promise<HistoryMessage | undefined> {
    const bare = requireConversationJid(peer);
    this.forgetNewestAfterRollback();
    let newest = this.newest.get(bare);
    if (newest === undefined) {
      newest = (await this.page(bare, {}, 1)).messages[0] ?? null;
      this.newest.set(bare, newest);
    }
    return newest ?? undefined;
  }

  /** The archive id of the conversation's newest message that has one (a room's archive is read on from there). */
  async lastStanzaId(peer: string): Promise<string | null> {
    const row = this.database.get(
      `SELECT stanza_id FROM messages WHERE conversation = (${conversationOf}) AND stanza_id IS NOT NULL ORDER BY at_ms DESC, seq DESC LIMIT 1`,
      { ':peer': requireConversationJid(peer) },
    );
    return (row?.['stanza_id'] as string | undefined) ?? null;
  }

  async count(peer: string): Promise<number> {
    const row = this.database.get(`SELECT COUNT(*) AS count FROM messages WHERE conversation = (${conversationOf})`, { ':peer': requireConversationJid(peer) });
    return Number(row?.['count'] ?? 0);
  }

  /**
   * Lets a conversation's messages go: a stranger's request dismissed, or let go for a newer one.
   * A message recorded after this starts the conversation anew. The space they took is given back.
   */
  async forget(peer: string): Promise<void> {
    const bare = requireConversationJid(peer);
    const forgotten = await this.database.write(() => {
      const conversation = this.conversationId(bare);
      if (conversation === undefined) return false;
      this.database.run('DELETE FROM messages WHERE conversation = :conversation', { ':conversation': conversation });
      this.database.run('DELETE FROM conversations WHERE id = :conversation AND NOT listed', { ':conversation': conversation });
      this.newest.delete(bare);
      return true;
    });
    if (forgotten) this.database.compact();
  }

  private recordNow(newMessage: NewMessage, archiveOrder: boolean, room: number): RecordOutcome {
    const conversation = this.conversationId(newMessage.peer) ?? this.startConversation(newMessage.peer);
    const copy = this.findCopy(conversation, newMessage);
    if (copy) {
      const seq = copy['seq'] as number;
      if (newMessage.stanzaId !== null && copy['stanza_id'] === null) {
        this.database.run('UPDATE messages SET stanza_id = :stanzaId WHERE seq = :seq', { ':stanzaId': newMessage.stanzaId, ':seq': seq });
      }
      const atMs = timeOf(newMessage.at);
      if (archiveOrder && copy['direction'] === 'in' && atMs < (copy['at_ms'] as number)) {
        // Placed anew: among messages at the same time, after those stored or placed before it.
        this.database.run('UPDATE messages SET at = :at, at_ms = :atMs, seq = (SELECT MAX(seq) + 1 FROM messages) WHERE seq = :seq', { ':at': newMessage.at, ':atMs': atMs, ':seq': seq });
        this.newest.delete(newMessage.peer);
      }
      const updated = this.database.get('SELECT * FROM messages WHERE conversation = :conversation AND id = :id', { ':conversation': conversation, ':id': copy['id'] as string });
      return { added: false, duplicateOf: this.changedInPlace(messageOf(updated!, newMessage.peer)) };
    }
    const { senderId = newMessage.originId, ...fields } = newMessage;
    if (room !== Infinity && this.countIn(conversation) >= room) return { added: false, duplicateOf: { ...fields, id: this.newLocalId(), edited: false }, setAside: true };
    const ownOriginId = newMessage.direction === 'out' ? newMessage.originId : null;
    // Anyone may pick any origin-id, so only an unused one becomes the message's id.
    const id = ownOriginId !== null && !this.hasId(conversation, ownOriginId) ? ownOriginId : this.newLocalId();
    const message = { ...fields, id, edited: false };
    insertMessage(this.database, conversation, message, senderId);
    this.added(message);
    return { added: true, message };
  }

  private correctNow({ peer, direction, replaces, body, at }: Correction): CorrectionOutcome {
    const conversation = this.conversationId(peer);
    if (conversation === undefined) return { kind: 'not-found' };
    // The corrector's own message first: the other side may have used the same id.
    const row = this.database.get(
      'SELECT * FROM messages WHERE conversation = :conversation AND sender_id = :replaces ORDER BY direction = :direction DESC, at_ms DESC, seq DESC LIMIT 1',
      { ':conversation': conversation, ':replaces': replaces, ':direction': direction },
    );
    if (!row) return { kind: 'not-found' };
    if (row['direction'] !== direction) return { kind: 'not-the-sender', message: messageOf(row, peer) };
    const { changes } = this.database.run(
      `UPDATE messages SET body = :body, corrected_at = :at, correction_failure = NULL
       WHERE seq = :seq AND (corrected_at IS NULL OR (corrected_at <= :at AND body <> :body))`,
      { ':body': body, ':at': at, ':seq': row['seq'] as number },
    );
    if (changes === 0) return { kind: 'unchanged', message: messageOf(row, peer) };
    return { kind: 'corrected', message: this.changedInPlace(messageOf(this.database.get('SELECT * FROM messages WHERE seq = :seq', { ':seq': row['seq'] as number })!, peer)) };
  }

  /** A message just stored: the newest of its conversation unless one stored before is later (stored later, it sorts after one at the same time). */
  private added(message: HistoryMessage): void {
    if (!this.newest.has(message.peer)) return;
    const newest = this.newest.get(message.peer);
    if (!newest || timeOf(message.at) >= timeOf(newest.at)) this.newest.set(message.peer, message);
  }

  /** A message changed where it stands (its state, text or archive id): if it is its conversation's newest, that is it now. */
  private changedInPlace(message: HistoryMessage): HistoryMessage {
    if (this.newest.get(message.peer)?.id === message.id) this.newest.set(message.peer, message);
    return message;
  }

  /** A commit that failed took back writes that `newest` had seen. */
  private forgetNewestAfterRollback(): void {
    if (this.database.rollbacks === this.newestRollbacks) return;
    this.newest.clear();
    this.newestRollbacks = this.database.rollbacks;
  }

  private findCopy(conversation: number, message: NewMessage): Row | undefined {
    const byStanzaId =
      message.stanzaId === null
        ? undefined
        : this.database.get('SELECT * FROM messages WHERE conversation = :conversation AND stanza_id = :stanzaId LIMIT 1', { ':conversation': conversation, ':stanzaId': message.stanzaId });
    // Origin-ids are chosen by senders, so one is unique only together with its direction.
    return (
      byStanzaId ??
      (message.originId === null
        ? undefined
        : this.database.get('SELECT * FROM messages WHERE conversation = :conversation AND direction = :direction AND origin_id = :originId LIMIT 1', {
            ':conversation': conversation,
            ':direction': message.direction,
            ':originId': message.originId,
          }))
    );
  }

  private rows(conversation: number, direction: 'older' | 'newer', from: Position | null, inclusive: boolean, limit: number): Row[] {
    const comparison = direction === 'older' ? (inclusive ? '<=' : '<') : inclusive ? '>=' : '>';
    const order = direction === 'older' ? 'DESC' : 'ASC';
    const bound = from ? `AND (at_ms, seq) ${comparison} (:atMs, :seq)` : '';
    return this.database.all(`SELECT * FROM messages WHERE conversation = :conversation ${bound} ORDER BY at_ms ${order}, seq ${order} LIMIT :limit`, {
      ':conversation': conversation,
      ':limit': limit,
      ...(from ? { ':atMs': from.atMs, ':seq': from.seq } : {}),
    });
  }

  private position(conversation: number, id: string): Position | undefined {
    const row = this.database.get('SELECT at_ms, seq FROM messages WHERE conversation = :conversation AND id = :id', { ':conversation': conversation, ':id': id });
    return row && { atMs: row['at_ms'] as number, seq: row['seq'] as number };
  }

  private countIn(conversation: number): number {
    return Number(this.database.get('SELECT COUNT(*) AS count FROM messages WHERE conversation = :conversation', { ':conversation': conversation })?.['count'] ?? 0);
  }

  private hasId(conversation: number, id: string): boolean {
    return this.database.get('SELECT 1 FROM messages WHERE conversation = :conversation AND id = :id', { ':conversation': conversation, ':id': id }) !== undefined;
  }

  private conversationId(peer: string): number | undefined {
    return conversationId(this.database, peer);
  }

  private startConversation(peer: string): number {
    return startConversation(this.database, peer);
  }
}

/** The conversation row of `:peer`, as a subquery. */
const conversationOf = 'SELECT id FROM conversations WHERE peer = :peer';

export function conversationId(database: HistoryDatabase, peer: string): number | undefined {
  const row = database.get(conversationOf, { ':peer': peer });
  return row === undefined ? undefined : (row['id'] as number);
}

export function startConversation(database: HistoryDatabase, peer: string): number {
  database.run('INSERT INTO conversations (peer) VALUES (:peer) ON CONFLICT (peer) DO NOTHING', { ':peer': peer });
  return conversationId(database, peer)!;
}

/** A message as it is first stored, uncorrected; `senderId`: the id its sender gave the stanza, which a correction names. */
export function insertMessage(database: HistoryDatabase, conversation: number, message: Omit<HistoryMessage, 'edited'>, senderId = message.originId): void {
  database.run(
    `INSERT INTO messages (conversation, id, direction, body, at, at_ms, sent_at, origin_id, stanza_id, state, sender_id, sender, mention)
     VALUES (:conversation, :id, :direction, :body, :at, :atMs, :sentAt, :originId, :stanzaId, :state, :senderId, :sender, :mention)`,
    {
      ':conversation': conversation,
      ':id': message.id,
      ':direction': message.direction,
      ':body': message.body,
      ':at': message.at,
      ':atMs': timeOf(message.at),
      ':sentAt': message.sentAt,
      ':originId': message.originId,
      ':stanzaId': message.stanzaId,
      ':state': message.state,
      ':senderId': senderId,
      ':sender': message.sender ?? null,
      ':mention': message.mention ? 1 : 0,
    },
  );
}

export function messageOf(row: Row, peer: string): HistoryMessage {
  return {
    id: row['id'] as string,
    peer,
    direction: row['direction'] as HistoryMessage['direction'],
    body: row['body'] as string,
    at: row['at'] as string,
    sentAt: row['sent_at'] as string | null,
    originId: row['origin_id'] as string | null,
    stanzaId: row['stanza_id'] as string | null,
    state: row['state'] as MessageState,
    edited: row['corrected_at'] !== null,
    ...(row['correction_failure'] == null ? {} : { correctionFailure: row['correction_failure'] as string }),
    ...(row['sender'] == null ? {} : { sender: row['sender'] as string }),
    ...(row['mention'] ? { mention: true as const } : {}),
  };
}

/** Milliseconds since the epoch; a time that does not parse sorts first rather than breaking the order. */
export function timeOf(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}

/** A cursor names a place between messages; it is opaque to the UI, which only hands it back. */
function cursorOf(row: Row | null, fallback?: Position): string | null {
  if (row) return `${row['at_ms'] as number}:${row['seq'] as number}`;
  return fallback ? `${fallback.atMs}:${fallback.seq}` : null;
}

export const cursorPattern = /^-?\d{1,16}:\d{1,16}$/;

function parseCursor(cursor: string): Position | undefined {
  if (!cursorPattern.test(cursor)) return undefined;
  const [atMs, seq] = cursor.split(':').map(Number);
  return { atMs: atMs!, seq: seq! };
}

const forwardRank: Partial<Record<MessageState, number>> = { queued: 0, sent: 1, delivered: 2 };

function canMove(from: MessageState, to: MessageState): boolean {
  if (from === 'received' || to === 'received') return false;
  if (to === 'failed') return from === 'queued' || from === 'sent';
  // A receipt after a bounce: the peer has it after all (another copy got through).
  if (from === 'failed') return to === 'queued' || to === 'delivered';
  return (forwardRank[to] ?? 0) > (forwardRank[from] ?? 0);
}

/**
 * A state change is one statement: the states a message may move from to each state are few and
 * fixed, written into it (and so prepared once); none for a state nothing moves to.
 */
const moveStateSql: Partial<Record<MessageState, string>> = Object.fromEntries(
  MessageState.options.flatMap((to) => {
    const from = MessageState.options.filter((current) => canMove(current, to));
    if (from.length === 0) return [];
    return [[to, `UPDATE messages SET state = :state WHERE conversation = (${conversationOf}) AND id = :id AND state IN (${from.map((each) => `'${each}'`).join(', ')}) RETURNING *`]];
  }),
);
