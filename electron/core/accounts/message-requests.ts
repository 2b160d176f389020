/**
 * Messages from people the user does not know (not in the roster, no conversation with them yet)
 * are requests, not conversations: each can be read, accepted (it becomes a conversation, its
 * messages kept) or dismissed (its messages go). A flood of strangers is bounded here, and what is
 * let go is counted. Which requests are open is kept on disk; their messages are in the history.
 * Which requests changed is noted, so the UI is told those alone (`takeDelta`).
 */
import path from 'node:path';
import { z } from 'zod';

import type { MessageRequestsDelta, MessageRequestView, MessageRequestsView, MessageView } from '../../contract/contract.js';
import type { History, HistoryMessage, NewMessage, Screen } from '../session/history.js';
import { Journal } from '../session/journal.js';
import type { ConversationIndex } from './conversation-index.js';
import type { LetGo } from './let-go.js';

/** Requests kept open, the newest: more than anyone reads through, and a flood of strangers stays a short list. */
export const maxMessageRequests = 50;
/** Messages a request keeps, its sender's first: enough to say who they are and what they want. */
export const maxMessagesPerRequest = 20;
/** Lines the file may grow to before it is rewritten with the open requests alone: it stays small however many come and go. */
const compactAt = 4 * maxMessageRequests;

const Entry = z.object({ peer: z.string().min(1), open: z.boolean() });
type Entry = z.infer<typeof Entry>;

export interface MessageRequestsDeps {
  history: History;
  index: ConversationIndex;
  /** The peer is in the roster. */
  isContact: (peer: string) => boolean;
  letGo: Pick<LetGo, 'add'>;
}

/** Where a message just recorded belongs; `accepted`: to the conversation its sender's request has just become. */
export type Placement = 'request' | 'accepted' | 'conversation';

export class MessageRequests implements Screen {
  /** Peers whose request opened, took a message or ended since the last delta. */
  private readonly changed = new Set<string>();

  private constructor(
    private readonly journal: Journal<Entry>,
    /** Bare JIDs, oldest request first. */
    private readonly open: Set<string>,
    private lines: number,
    private readonly deps: MessageRequestsDeps,
  ) {}

  static async open(folder: string, deps: MessageRequestsDeps): Promise<MessageRequests> {
    const journal = new Journal(path.join(folder, 'message-requests.jsonl'), Entry);
    const entries = await journal.read();
    const open = new Set<string>();
    for (const entry of entries) {
      open.delete(entry.peer);
      if (entry.open) open.add(entry.peer);
    }
    return new MessageRequests(journal, open, entries.length, deps);
  }

  /** A message from a stranger opens a request for them, if none is open, and is kept among its first few. */
  async room(message: NewMessage): Promise<number> {
    if (!this.fromStranger(message)) return Infinity;
    if (!this.open.has(message.peer)) await this.openRequest(message.peer);
    return maxMessagesPerRequest;
  }

  setAside(): void {
    this.deps.letGo.add('strangerMessages', maxMessagesPerRequest);
  }

  /**
   * Where `message`, just recorded, belongs: to its sender's request while they are still a
   * stranger; else to a conversation, which a request becomes once the user writes back or the
   * sender is a contact.
   */
  async place(message: HistoryMessage): Promise<Placement> {
    if (this.fromStranger(message)) {
      this.changed.add(message.peer);
      return 'request';
    }
    return (await this.accept(message.peer)) ? 'accepted' : 'conversation';
  }

  /** `peer`, a bare JID as the history keeps it, has a request open. */
  holds(peer: string): boolean {
    return this.open.has(peer);
  }

  /** The request becomes a conversation, with its messages. Returns false when there was none. */
  async accept(peer: string): Promise<boolean> {
    if (!this.open.has(peer)) return false;
    await this.deps.index.add(peer);
    await this.end(peer);
    return true;
  }

  /** The request goes, with its messages. Returns false when there was none. */
  async dismiss(peer: string): Promise<boolean> {
    if (!this.open.has(peer)) return false;
    await this.end(peer);
    await this.deps.history.forget(peer);
    return true;
  }

  /** Accepts the requests of senders who are contacts now. Returns whether any was. */
  async acceptContacts(): Promise<boolean> {
    const contacts = [...this.open].filter((peer) => this.deps.isContact(peer));
    for (const peer of contacts) await this.accept(peer);
    return contacts.length > 0;
  }

  async view(communityId: string, messageView: (message: HistoryMessage) => MessageView): Promise<MessageRequestsView> {
    const requests = await Promise.all([...this.open].map((peer) => this.requestView(peer, messageView)));
    return { communityId, requests };
  }

  /** What changed since the last delta, each open request at its latest; null when nothing did. */
  async takeDelta(communityId: string, messageView: (message: HistoryMessage) => MessageView): Promise<MessageRequestsDelta | null> {
    if (this.changed.size === 0) return null;
    const peers = [...this.changed];
    this.changed.clear();
    const stillOpen = peers.filter((peer) => this.open.has(peer));
    const upserted = await Promise.all(stillOpen.map((peer) => this.requestView(peer, messageView)));
    return { communityId, upserted, removed: peers.filter((peer) => !this.open.has(peer)) };
  }

  close(): Promise<void> {
    return this.journal.close();
  }

  private async requestView(peer: string, messageView: (message: HistoryMessage) => MessageView): Promise<MessageRequestView> {
    const last = await this.deps.history.last(peer);
    return { peer, messages: await this.deps.history.count(peer), last: last ? messageView(last) : null };
  }

  private fromStranger({ peer, direction }: Pick<NewMessage, 'peer' | 'direction'>): boolean {
    return direction === 'in' && !this.deps.index.has(peer) && !this.deps.isContact(peer);
  }

  /** When too many are open, the oldest request is let go for this one, and counted. */
  private async openRequest(peer: string): Promise<void> {
    const [oldest] = this.open;
    this.open.add(peer);
    this.changed.add(peer);
    if (this.open.size <= maxMessageRequests || oldest === undefined) return this.write([{ peer, open: true }]);
    this.open.delete(oldest);
    this.changed.add(oldest);
    await this.write([
      { peer: oldest, open: false },
      { peer, open: true },
    ]);
    const messages = await this.deps.history.count(oldest);
    await this.deps.history.forget(oldest);
    this.deps.letGo.add('messageRequests', maxMessageRequests);
    this.deps.letGo.add('strangerMessages', maxMessagesPerRequest, messages);
  }

  private async end(peer: string): Promise<void> {
    this.open.delete(peer);
    this.changed.add(peer);
    await this.write([{ peer, open: false }]);
  }

  private async write(entries: Entry[]): Promise<void> {
    this.lines += entries.length;
    if (this.lines < compactAt) return this.journal.append(...entries);
    this.lines = this.open.size;
    await this.journal.rewrite([...this.open].map((peer) => ({ peer, open: true })));
  }
}
