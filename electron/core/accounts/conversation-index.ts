/**
 * Which conversations an account has and how far the user has read each, in the history
 * database beside the messages. Each keeps its unread count as messages come and go (see the
 * schema's migration 3), so reading it is one row, whatever the conversation's size.
 */
import type { HistoryDatabase } from '../session/history-database.js';
import { startConversation, timeOf } from '../session/history.js';

export class ConversationIndex {
  /** Peers known to be listed (a conversation is never unlisted): every message asks, and asking the database each time cost. */
  private readonly known = new Set<string>();
  private knownRollbacks = 0;

  constructor(private readonly database: HistoryDatabase) {}

  /** The listed conversations' peers, in the order they were first stored. */
  peers(): string[] {
    return this.database.all('SELECT peer FROM conversations WHERE listed ORDER BY id').map((row) => row['peer'] as string);
  }

  has(peer: string): boolean {
    if (this.database.rollbacks !== this.knownRollbacks) {
      // A failed commit took back listings made in it.
      this.known.clear();
      this.knownRollbacks = this.database.rollbacks;
    }
    if (this.known.has(peer)) return true;
    const listed = this.database.get('SELECT 1 FROM conversations WHERE peer = :peer AND listed', { ':peer': peer }) !== undefined;
    if (listed) this.known.add(peer);
    return listed;
  }

  /** ISO time up to which the user has seen the conversation; null: nothing read yet. */
  readMark(peer: string): string | null {
    return (this.database.get('SELECT read_up_to FROM conversations WHERE peer = :peer', { ':peer': peer })?.['read_up_to'] as string | null | undefined) ?? null;
  }

  /** Inbound messages after the read mark. */
  unread(peer: string): number {
    return Number(this.database.get('SELECT unread FROM conversations WHERE peer = :peer', { ':peer': peer })?.['unread'] ?? 0);
  }

  /** Lists the conversation, once: every message told asks for it, and all but the first find it listed. */
  async add(peer: string): Promise<void> {
    if (this.has(peer)) return;
    this.database.transaction(() => {
      const conversation = startConversation(this.database, peer);
      this.database.run('UPDATE conversations SET listed = 1 WHERE id = :conversation AND NOT listed', { ':conversation': conversation });
    });
  }

  async markRead(peer: string, upTo: string): Promise<void> {
    this.database.run('UPDATE conversations SET read_up_to = :upTo, read_up_to_ms = :upToMs WHERE peer = :peer AND (read_up_to_ms IS NULL OR read_up_to_ms < :upToMs)', {
      ':peer': peer,
      ':upTo': upTo,
      ':upToMs': timeOf(upTo),
    });
  }
}
