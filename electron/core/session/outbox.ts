/**
 * The durable outbox: a message is on disk before it is sent, and leaves only when the server has
 * acknowledged it (XEP-0198) or the user discards it. Whatever is still here after a crash or a
 * failed resume is sent again with the same origin-id, in the order it was written, so the
 * recipient can drop a copy it already has.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';

import { excerpt, Journal, reportFaultToConsole } from './journal.js';
import type { ReportFault } from './journal.js';
import { salvageOutboxLine } from './outbox-salvage.js';

/**
 * queued: stored, not yet written to a stream; sent: written, not yet acknowledged; failed: the
 * server bounced it, and it waits for the user to retry or discard it. Delivery (XEP-0184) is the
 * history's business: a message is long gone from here by then.
 */
const OutboxState = z.enum(['queued', 'sent', 'failed']);
export type OutboxState = z.infer<typeof OutboxState>;

const OutboxMessage = z.object({
  originId: z.string().min(1),
  to: z.string().min(1),
  /** A correction (XEP-0308): the id of the message it replaces. Written before the body, so that a line torn in the body cannot lose it. */
  replaces: z.string().min(1).optional(),
  body: z.string(),
  /** ISO 8601. */
  createdAt: z.string(),
  state: OutboxState,
  failure: z.string().optional(),
  /** The body is a shared file's address, sent with an XEP-0066 link too. */
  oob: z.literal(true).optional(),
  /** To a room (XEP-0045): it leaves the outbox when the room reflects it, not when the server acknowledges it. */
  room: z.literal(true).optional(),
});
export type OutboxMessage = z.infer<typeof OutboxMessage>;

const OutboxEntry = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('stored'), message: OutboxMessage }),
  z.object({ kind: z.literal('state'), originId: z.string(), state: OutboxState, failure: z.string().optional() }),
  z.object({ kind: z.literal('gone'), originIds: z.array(z.string()) }),
]);
type OutboxEntry = z.infer<typeof OutboxEntry>;

export interface OutboxOptions {
  newOriginId?: () => string;
  now?: () => Date;
  reportFault?: ReportFault;
}

const journalFileName = 'outbox.jsonl';
/** Journal entries beyond this many per message still in the outbox are compacted away. */
const entriesPerMessageBeforeCompaction = 8;
const minimumEntriesBeforeCompaction = 256;

export class Outbox {
  /** When the newest message here was written (epoch ms): the next one is later, so that the times alone say the order. */
  private lastWrittenAt = 0;

  private constructor(
    private readonly journal: Journal<OutboxEntry>,
    private readonly messages: Map<string, OutboxMessage>,
    private readonly options: Required<OutboxOptions>,
    private journalEntries: number,
  ) {}

  static async open(folder: string, options: OutboxOptions = {}): Promise<Outbox> {
    const settled: Required<OutboxOptions> = { newOriginId: randomUUID, now: () => new Date(), reportFault: reportFaultToConsole, ...options };
    const damaged: string[] = [];
    const journal = new Journal(path.join(folder, journalFileName), OutboxEntry, (line) => damaged.push(line));
    const entries = await journal.read().catch((error: unknown) => {
      settled.reportFault('error', `Burrow cannot read its outbox ${journal.file} (${(error as Error).message}), so it sends nothing until that is fixed: no message is lost.`);
      throw error;
    });
    const messages = replay(entries);
    for (const line of damaged) recoverDamagedLine(line, messages, journal.file, settled);
    const outbox = new Outbox(journal, messages, settled, 0);
    // Compacting writes the recovered messages down whole, in place of the damaged lines.
    await outbox.compact();
    return outbox;
  }

  /** Resolves once the message is safely on disk; only then may it be sent. */
  async store({ to, body, replaces, oob, room }: { to: string; body: string; replaces?: string; oob?: true; room?: boolean }): Promise<OutboxMessage> {
    this.lastWrittenAt = Math.max(this.options.now().getTime(), this.lastWrittenAt + 1);
    const message: OutboxMessage = {
      originId: this.options.newOriginId(),
      to,
      ...(replaces === undefined ? {} : { replaces }),
      body,
      createdAt: new Date(this.lastWrittenAt).toISOString(),
      state: 'queued',
      ...(oob ? { oob } : {}),
      ...(room ? { room: true as const } : {}),
    };
    await this.write({ kind: 'stored', message: { ...message } });
    this.messages.set(message.originId, message);
    return { ...message };
  }

  /**
   * Kept in memory only: after a crash a sent message is re-sent like a queued one, so writing this
   * down would cost an fsync per message and change nothing.
   */
  markSent(originId: string): void {
    const message = this.messages.get(originId);
    if (message?.state === 'queued') message.state = 'sent';
  }

  /** The server has the messages: they leave the outbox. Returns those that were still here. */
  async markAcked(...originIds: string[]): Promise<OutboxMessage[]> {
    return this.remove(originIds);
  }

  async markFailed(originId: string, failure: string): Promise<void> {
    if (!this.messages.has(originId)) return;
    await this.setState(originId, 'failed', failure);
  }

  /**
   * Messages the server had taken but then bounced or lost come back, with their origin-ids, to be
   * sent again in the place their creation gives them, ahead of newer ones (a failed one in the
   * outbox just goes back to the queue). Resolves once they are on disk.
   */
  async requeue(...returning: Pick<OutboxMessage, 'originId' | 'to' | 'replaces' | 'body' | 'createdAt' | 'room'>[]): Promise<void> {
    const added: OutboxMessage[] = [];
    for (const message of returning) {
      if (this.messages.has(message.originId)) await this.retry(message.originId);
      else if (!added.some((each) => each.originId === message.originId)) added.push({ ...message, state: 'queued' });
    }
    if (added.length === 0) return;
    // Created in the same millisecond as one still here, a returning message most likely went out before it.
    const inOrder = [...added, ...this.messages.values()].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    this.messages.clear();
    for (const message of inOrder) this.messages.set(message.originId, message);
    // The journal is rewritten in that order, so that a restart replays it alike.
    await this.compact();
  }

  /** A failed message goes back to the queue, keeping its place and its origin-id. */
  async retry(originId: string): Promise<void> {
    if (this.messages.get(originId)?.state !== 'failed') return;
    await this.setState(originId, 'queued');
  }

  async discard(originId: string): Promise<void> {
    await this.remove([originId]);
  }

  /** What to (re-)send on a fresh stream: every message not acknowledged and not failed, oldest first. */
  unacknowledged(): OutboxMessage[] {
    return this.list().filter((message) => message.state !== 'failed');
  }

  list(): OutboxMessage[] {
    return [...this.messages.values()].map((message) => ({ ...message }));
  }

  get(originId: string): OutboxMessage | undefined {
    const message = this.messages.get(originId);
    return message && { ...message };
  }

  close(): Promise<void> {
    return this.journal.close();
  }

  private async setState(originId: string, state: OutboxState, failure?: string): Promise<void> {
    await this.write({ kind: 'state', originId, state, ...(failure === undefined ? {} : { failure }) });
    const message = this.messages.get(originId);
    if (message) applyState(message, state, failure);
  }

  private async remove(originIds: string[]): Promise<OutboxMessage[]> {
    const present = originIds.flatMap((originId) => this.messages.get(originId) ?? []);
    if (present.length === 0) return [];
    await this.write({ kind: 'gone', originIds: present.map((message) => message.originId) });
    for (const message of present) this.messages.delete(message.originId);
    if (this.journalEntries > Math.max(minimumEntriesBeforeCompaction, entriesPerMessageBeforeCompaction * this.messages.size)) {
      await this.compact();
    }
    return present.map((message) => ({ ...message }));
  }

  private async write(entry: OutboxEntry): Promise<void> {
    await this.journal.append(entry);
    this.journalEntries += 1;
  }

  private async compact(): Promise<void> {
    // Sent-ness is not written down (see markSent), so the compacted journal keeps it out too.
    const live = this.list().map((message): OutboxEntry => ({ kind: 'stored', message: message.state === 'sent' ? { ...message, state: 'queued' } : message }));
    await this.journal.rewrite(live);
    this.journalEntries = live.length;
  }
}

function recoverDamagedLine(line: string, messages: Map<string, OutboxMessage>, file: string, { now, reportFault }: Required<OutboxOptions>): void {
  const salvage = salvageOutboxLine(line);
  if (salvage.kind === 'message') {
    if (messages.has(salvage.originId)) return;
    const { originId, to, replaces, body, createdAt } = salvage;
    messages.set(originId, { originId, to, ...(replaces === null ? {} : { replaces }), body, createdAt: createdAt ?? now().toISOString(), state: 'queued' });
    reportFault('info', `A message to ${to} was half-written to the outbox when Burrow last stopped; it was recovered and will be sent: “${excerpt(body)}”`);
  } else if (salvage.kind === 'lost-message') {
    reportFault(
      'warning',
      `A message to ${salvage.to ?? 'someone'} was cut off in the outbox when Burrow last stopped and could not be recovered, so it was not sent. Please send it again; it began: “${excerpt(salvage.textBegan)}”`,
    );
  } else {
    reportFault('warning', `Burrow skipped a damaged line of ${file}, which held no message's text: ${excerpt(line)}`);
  }
}

function replay(entries: OutboxEntry[]): Map<string, OutboxMessage> {
  const messages = new Map<string, OutboxMessage>();
  for (const entry of entries) {
    if (entry.kind === 'stored') messages.set(entry.message.originId, { ...entry.message });
    else if (entry.kind === 'gone') for (const originId of entry.originIds) messages.delete(originId);
    else {
      const message = messages.get(entry.originId);
      if (message) applyState(message, entry.state, entry.failure);
    }
  }
  return messages;
}

function applyState(message: OutboxMessage, state: OutboxState, failure: string | undefined): void {
  message.state = state;
  if (failure === undefined) delete message.failure;
  else message.failure = failure;
}
