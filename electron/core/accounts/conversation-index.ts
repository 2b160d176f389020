/**
 * Which conversations an account has and how far the user has read each: the history keeps one
 * file per conversation under a hashed name, so the list of peers and their read marks live here.
 */
import path from 'node:path';
import { z } from 'zod';

import { Journal } from '../session/journal.js';

const Entry = z.object({ peer: z.string().min(1), readUpTo: z.string().nullable() });
type Entry = z.infer<typeof Entry>;

export class ConversationIndex {
  private constructor(
    private readonly journal: Journal<Entry>,
    private readonly readUpTo: Map<string, string | null>,
  ) {}

  static async open(folder: string): Promise<ConversationIndex> {
    const journal = new Journal(path.join(folder, 'conversations.jsonl'), Entry);
    const readUpTo = new Map<string, string | null>();
    for (const entry of await journal.read()) readUpTo.set(entry.peer, entry.readUpTo);
    return new ConversationIndex(journal, readUpTo);
  }

  peers(): string[] {
    return [...this.readUpTo.keys()];
  }

  has(peer: string): boolean {
    return this.readUpTo.has(peer);
  }

  /** ISO time up to which the user has seen the conversation; null: nothing read yet. */
  readMark(peer: string): string | null {
    return this.readUpTo.get(peer) ?? null;
  }

  async add(peer: string): Promise<void> {
    if (this.readUpTo.has(peer)) return;
    await this.write({ peer, readUpTo: null });
  }

  async markRead(peer: string, upTo: string): Promise<void> {
    const current = this.readUpTo.get(peer);
    if (current && Date.parse(current) >= Date.parse(upTo)) return;
    await this.write({ peer, readUpTo: upTo });
  }

  close(): Promise<void> {
    return this.journal.close();
  }

  private async write(entry: Entry): Promise<void> {
    this.readUpTo.set(entry.peer, entry.readUpTo);
    await this.journal.append(entry);
  }
}
