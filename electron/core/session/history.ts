/**
 * Message history on disk: one append-only journal per conversation. Inbound copies of a message
 * (live, carbon, archive, a peer's re-send after its failed resume) are recognised by the server
 * archive's stanza-id or the sender's origin-id and kept once.
 */
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

import { excerpt, Journal, reportFaultToConsole } from './journal.js';
import type { ReportFault } from './journal.js';
import { requireBareJid } from './stanzas/jid.js';

const MessageState = z.enum(['queued', 'sent', 'delivered', 'failed', 'received']);
/** queued → sent (the server acknowledged it) → delivered (XEP-0184 receipt); failed; `received` for inbound messages. */
export type MessageState = z.infer<typeof MessageState>;

const HistoryMessage = z.object({
  /** Burrow's own id: the origin-id of a message sent from here (receipts name it), else a local id. */
  id: z.string().min(1),
  /** The other party's bare JID. */
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
});
export type HistoryMessage = z.infer<typeof HistoryMessage>;

const HistoryEntry = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('message'), message: HistoryMessage }),
  z.object({ kind: z.literal('state'), id: z.string(), state: MessageState }),
  z.object({ kind: z.literal('stanza-id'), id: z.string(), stanzaId: z.string() }),
  z.object({ kind: z.literal('placed'), id: z.string(), at: z.string() }),
]);
type HistoryEntry = z.infer<typeof HistoryEntry>;

export type NewMessage = Omit<HistoryMessage, 'id'>;
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
  reportFault?: ReportFault;
  screen?: Screen;
}

export class History {
  private readonly conversations = new Map<string, Promise<Conversation>>();
  private readonly newLocalId: () => string;
  private readonly reportFault: ReportFault;

  constructor(
    private readonly folder: string,
    private readonly options: HistoryOptions = {},
  ) {
    this.newLocalId = options.newLocalId ?? randomUUID;
    this.reportFault = options.reportFault ?? reportFaultToConsole;
  }

  /**
   * Adds a message unless it is a copy of one already here. `archiveOrder`: the copy comes from the
   * server's archive, and its `at` is where the archive's order places it; an inbound message
   * already here but later than that (the server delivered it live after a newer one) moves back
   * to its place.
   */
  async record(message: NewMessage, { archiveOrder = false }: { archiveOrder?: boolean } = {}): Promise<RecordOutcome> {
    const placed = { ...message, peer: requireBareJid(message.peer) };
    const room = (await this.options.screen?.room(placed)) ?? Infinity;
    const outcome = await (await this.conversation(placed.peer)).record(placed, { newLocalId: this.newLocalId, archiveOrder, room });
    if (!outcome.added && outcome.setAside) this.options.screen?.setAside(placed);
    return outcome;
  }

  /** Moves a message's state forward; returns false when the move makes no sense (e.g. delivered → sent). */
  async setState(peer: string, id: string, state: MessageState): Promise<boolean> {
    return (await this.conversation(requireBareJid(peer))).setState(id, state);
  }

  /** The conversation in order: by time, then in the order stored. */
  async messages(peer: string): Promise<HistoryMessage[]> {
    return (await this.conversation(requireBareJid(peer))).messages();
  }

  async message(peer: string, id: string): Promise<HistoryMessage | undefined> {
    return (await this.conversation(requireBareJid(peer))).message(id);
  }

  /**
   * Lets a conversation go, its file with it: a stranger's request dismissed, or let go for a newer
   * one. A message recorded after this begins starts the conversation anew.
   */
  async forget(peer: string): Promise<void> {
    const bare = requireBareJid(peer);
    const conversation = await this.conversation(bare);
    await conversation.remove();
    if (conversation.empty) this.conversations.delete(bare);
  }

  async close(): Promise<void> {
    const conversations = await Promise.all(this.conversations.values());
    this.conversations.clear();
    await Promise.all(conversations.map((conversation) => conversation.close()));
  }

  private conversation(peer: string): Promise<Conversation> {
    let conversation = this.conversations.get(peer);
    if (!conversation) {
      // A hash keeps every JID a valid file name on every file system, case-insensitive ones included.
      const file = path.join(this.folder, `${createHash('sha256').update(peer).digest('hex')}.jsonl`);
      const onDamagedLine = (line: string) => this.reportFault('warning', `A damaged line of your history with ${peer} was skipped; it read: ${excerpt(line)}`);
      conversation = Conversation.load(new Journal(file, HistoryEntry, onDamagedLine)).catch((error: unknown) => {
        this.conversations.delete(peer);
        this.reportFault('error', `Burrow cannot read your history with ${peer} (${(error as Error).message}).`);
        throw error;
      });
      this.conversations.set(peer, conversation);
    }
    return conversation;
  }
}

class Conversation {
  private readonly byId = new Map<string, HistoryMessage>();
  /** `stanza:<id>` and `origin:<direction>:<id>` of every message here. */
  private readonly seen = new Map<string, HistoryMessage>();

  private constructor(private readonly journal: Journal<HistoryEntry>) {}

  static async load(journal: Journal<HistoryEntry>): Promise<Conversation> {
    const conversation = new Conversation(journal);
    for (const entry of await journal.read()) conversation.apply(entry);
    return conversation;
  }

  async record(newMessage: NewMessage, { newLocalId, archiveOrder, room }: { newLocalId: () => string; archiveOrder: boolean; room: number }): Promise<RecordOutcome> {
    const duplicateOf = this.findCopy(newMessage);
    if (duplicateOf) {
      if (newMessage.stanzaId !== null && duplicateOf.stanzaId === null) {
        await this.write({ kind: 'stanza-id', id: duplicateOf.id, stanzaId: newMessage.stanzaId });
      }
      if (archiveOrder && duplicateOf.direction === 'in' && Date.parse(newMessage.at) < Date.parse(duplicateOf.at)) {
        await this.write({ kind: 'placed', id: duplicateOf.id, at: newMessage.at });
      }
      return { added: false, duplicateOf: { ...duplicateOf } };
    }
    if (this.byId.size >= room) return { added: false, duplicateOf: { ...newMessage, id: newLocalId() }, setAside: true };
    const ownOriginId = newMessage.direction === 'out' ? newMessage.originId : null;
    // Anyone may pick any origin-id, so only an unused one becomes the message's id.
    const id = ownOriginId !== null && !this.byId.has(ownOriginId) ? ownOriginId : newLocalId();
    const message = { ...newMessage, id };
    await this.write({ kind: 'message', message });
    return { added: true, message: { ...message } };
  }

  async setState(id: string, state: MessageState): Promise<boolean> {
    const message = this.byId.get(id);
    if (!message || !canMove(message.state, state)) return false;
    await this.write({ kind: 'state', id, state });
    return true;
  }

  messages(): HistoryMessage[] {
    const inStoredOrder = [...this.byId.values()].map((message) => ({ ...message }));
    return inStoredOrder.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  }

  message(id: string): HistoryMessage | undefined {
    const message = this.byId.get(id);
    return message && { ...message };
  }

  close(): Promise<void> {
    return this.journal.close();
  }

  get empty(): boolean {
    return this.byId.size === 0;
  }

  /** Empty from now on; what was written before goes with the file. */
  remove(): Promise<void> {
    this.byId.clear();
    this.seen.clear();
    return this.journal.remove();
  }

  /** Applied at once, before the write finishes, so that two copies arriving together are still one. */
  private async write(entry: HistoryEntry): Promise<void> {
    this.apply(entry);
    await this.journal.append(entry);
  }

  private apply(entry: HistoryEntry): void {
    if (entry.kind === 'message') {
      if (this.byId.has(entry.message.id) || this.findCopy(entry.message)) return;
      const message = { ...entry.message };
      this.byId.set(message.id, message);
      this.index(message);
      return;
    }
    const message = this.byId.get(entry.id);
    if (!message) return;
    if (entry.kind === 'state') message.state = entry.state;
    else if (entry.kind === 'placed') {
      // Placed anew: among messages at the same time, after those stored or placed before it.
      this.byId.delete(message.id);
      message.at = entry.at;
      this.byId.set(message.id, message);
    } else {
      message.stanzaId = entry.stanzaId;
      this.index(message);
    }
  }

  private findCopy(message: NewMessage): HistoryMessage | undefined {
    return copyKeys(message)
      .map((key) => this.seen.get(key))
      .find((found) => found !== undefined);
  }

  private index(message: HistoryMessage): void {
    for (const key of copyKeys(message)) this.seen.set(key, message);
  }
}

function copyKeys(message: Pick<HistoryMessage, 'direction' | 'originId' | 'stanzaId'>): string[] {
  return [
    ...(message.stanzaId === null ? [] : [`stanza:${message.stanzaId}`]),
    // Origin-ids are chosen by senders, so one is unique only together with its direction.
    ...(message.originId === null ? [] : [`origin:${message.direction}:${message.originId}`]),
  ];
}

const forwardRank: Partial<Record<MessageState, number>> = { queued: 0, sent: 1, delivered: 2 };

function canMove(from: MessageState, to: MessageState): boolean {
  if (from === 'received' || to === 'received') return false;
  if (to === 'failed') return from === 'queued' || from === 'sent';
  // A receipt after a bounce: the peer has it after all (another copy got through).
  if (from === 'failed') return to === 'queued' || to === 'delivered';
  return (forwardRank[to] ?? 0) > (forwardRank[from] ?? 0);
}
