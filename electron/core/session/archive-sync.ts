/**
 * The archive part of a session (XEP-0313 with RSM): where the history stands against the user's
 * server archive, the gap a fresh stream must fill, and filling it page by page behind a live
 * stream, bounded, with its progress told, one fill at a time. A fill cut off by its connection
 * leaves the gap pending for the next stream.
 */
import { ConnectionGoneError } from '../stream/errors.js';
import type { ArchivePosition, ArchivePositionStore } from './archive-position.js';
import type { Messaging } from './messaging.js';
import type { SessionClient, SessionLink } from './session-link.js';
import { mamQuery, parseMamFin, parseMamResult } from './stanzas/mam.js';
import type { Element } from './stanzas/xml.js';

/**
 * How long one page of the archive may take. A busy server answers it only after the messages it is
 * still routing to the user (ejabberd took 50 s after a restart with a thousand messages waiting),
 * and nothing waits on the fill but its progress; the stream's loss ends the wait at once.
 */
const pageTimeoutMs = 120_000;

export interface ArchiveSyncOptions {
  /** The account's bare JID. */
  account: string;
  archivePosition: ArchivePositionStore;
  newQueryId: () => string;
  now: () => Date;
  pageSize: number;
  /** At most this many pages per gap; the rest follows on the next connection, from where this one stopped. */
  maxPages: number;
}

interface Gap {
  /**
   * Where the gap's next archived message belongs (null: anywhere): after everything received
   * before the gap (so at first, when the stream that the gap follows went away), and after each
   * archived message before it, including those already received live on the new stream.
   */
  floor: string | null;
}

export class ArchiveSync {
  private readonly queries = new Set<string>();
  /** Where the next archive query starts; live messages move it only while no gap is being filled. */
  private latestArchiveId: string | null = null;
  /** When a stream was last seen live (null: never), kept on disk with `latestArchiveId`. */
  private lastSeenAt: string | null = null;
  /** Set while a fresh stream fills the gap since the last one from the archive. */
  private gap: Gap | null = null;
  /** A gap is being filled. */
  private filling = false;
  /** Archive results received, ever: a fill's progress is the difference. */
  private resultsReceived = 0;
  private sync: Promise<void> = Promise.resolve();

  /** Starts from `position`, where the history stood against the archive when it was last written. */
  constructor(
    private readonly options: ArchiveSyncOptions,
    position: ArchivePosition,
    private readonly link: SessionLink,
    private readonly messaging: Messaging,
  ) {
    this.latestArchiveId = position.lastArchiveId;
    this.lastSeenAt = position.lastSeenAt;
  }

  /** A live message with this archive id: the next query starts after it, unless a gap is being filled. */
  liveArchiveId(stanzaId: string): void {
    if (!this.gap) this.latestArchiveId = stanzaId;
  }

  /**
   * A fresh stream begins: where its gap starts is settled before the initial presence, so that the
   * live messages that come after it do not move it. A gap still unfilled from an earlier stream
   * goes on: it starts earlier, and its fill places each message in the archive's order.
   */
  async openGap(): Promise<void> {
    this.gap ??= await this.gapSinceLastStream();
  }

  /** Fills the pending gap over the live stream, unless a fill is under way. */
  catchUp(): void {
    const gap = this.gap;
    const client = this.link.client;
    if (!gap || !client || this.filling) return;
    this.filling = true;
    this.sync = this.fill(gap).finally(() => {
      this.filling = false;
      // The stream changed while this fill was being cut off: the new one takes the gap over.
      if (this.gap === gap && this.link.client && this.link.client !== client) this.catchUp();
    });
  }

  /** An archive result (true), recorded; false for any other message. */
  async handleResult(stanza: Element, replyOn: SessionClient): Promise<boolean> {
    const archived = parseMamResult(stanza, { archive: this.options.account, queryIds: this.queries });
    if (!archived) return false;
    if (archived.kind === 'ignored') {
      this.link.emit({ type: 'ignored', reason: archived.reason });
      return true;
    }
    this.resultsReceived += 1;
    // The archive stamps to the second, and the results come in the archive's order: each is placed after the one before.
    const { gap } = this;
    const at = later(gap?.floor ?? null, archived.archivedAt);
    const copy = await this.messaging.recordCopy(archived.message, { stanzaId: archived.archiveId, at, sentAt: archived.archivedAt });
    if (gap && copy) gap.floor = later(gap.floor, copy.message.at);
    // A message from the peer first received here, filling the gap (it came while the stream was away): its receipt
    // is due now, or the sender never sees it delivered. XEP-0184 forbids receipts only for history seen again.
    if (copy?.firstReceived && copy.chat.requestsReceipt && copy.chat.id) this.messaging.receiptOnceStored(replyOn, copy.chat.from, copy.chat.id);
    return true;
  }

  /** Notes how far the history has caught up with the archive, and that a stream was live until now. */
  async savePosition(): Promise<void> {
    this.lastSeenAt = this.options.now().toISOString();
    // Never ahead of the history on disk: what a crash takes from it is then fetched again.
    await this.messaging.historyStored();
    await this.options.archivePosition.write({ lastArchiveId: this.latestArchiveId, lastSeenAt: this.lastSeenAt });
  }

  /** Resolves once the fill under way, if any, is over. */
  filled(): Promise<void> {
    return this.sync;
  }

  /**
   * The gap since the last stream went away. On the account's first stream here, the gap since it
   * began: older history is not fetched, but the query tells the server that this client catches
   * up from the archive, so that what a dropped stream never acknowledged is left to the archive
   * rather than bounced to its sender (Prosody's mod_smacks and ejabberd's mod_stream_mgmt both
   * bounce it otherwise, and the sender's resend then arrives out of order).
   */
  private async gapSinceLastStream(): Promise<Gap> {
    // Once the last stream's messages are recorded, and with them when it went.
    await this.link.received();
    const firstStream = this.latestArchiveId === null && this.lastSeenAt === null;
    return { floor: firstStream ? this.options.now().toISOString() : this.lastSeenAt };
  }

  /** Pages through the archive from where the history left off; copies already here are dropped by the history. */
  private async fill(gap: Gap): Promise<void> {
    const { pageSize, maxPages } = this.options;
    const since = new Date(gap.floor ?? 0);
    const receivedBefore = this.resultsReceived;
    this.link.emit({ type: 'catching-up', fetched: 0 });
    try {
      for (let pages = 1; ; pages++) {
        const queryId = this.options.newQueryId();
        this.queries.add(queryId);
        const from = this.latestArchiveId === null ? { start: since } : { after: this.latestArchiveId };
        try {
          const answer = await this.link.request(mamQuery({ queryId, max: pageSize, ...from }), pageTimeoutMs);
          // The page's messages all arrived before the answer; once the queue is through them, they are in the history.
          await this.link.received();
          const page = parseMamFin(answer);
          if (page.kind === 'ignored') return this.filledGap(gap, page.reason);
          if (page.last !== null) {
            this.latestArchiveId = page.last;
            await this.savePosition();
          }
          if (page.complete || page.last === null) return this.filledGap(gap);
          this.link.emit({ type: 'catching-up', fetched: this.resultsReceived - receivedBefore });
          if (pages >= maxPages) return this.filledGap(gap, `more than ${pages} pages of archive to catch up on: the rest follows on the next connection`);
        } finally {
          this.queries.delete(queryId);
        }
      }
    } catch (error) {
      // A gap left by a connection that went is filled over the next one, from where this stopped.
      if (!(error instanceof ConnectionGoneError)) this.link.reportError(error);
    } finally {
      this.link.emit({ type: 'catching-up', fetched: null });
    }
  }

  /** The fill of `gap` is over (done, or as far as it goes this time, and why). */
  private filledGap(gap: Gap, notice?: string): void {
    if (this.gap === gap) this.gap = null;
    if (notice) this.link.emit({ type: 'ignored', reason: notice });
  }
}

/** The later of two ISO 8601 times; null counts as earliest. */
export function later(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return a ?? b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}
