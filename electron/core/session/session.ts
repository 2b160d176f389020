/**
 * The XMPP session of one account, over whichever connection won the race: stream management with
 * resume (also onto a new connection after a transport switch), the roster, presence, carbons,
 * one-to-one chat through the durable outbox, receipts, de-duplicated history and archive gap
 * filling. Reconnecting is the caller's: on `offline` it runs the race again and calls `attach`.
 */
import { randomUUID } from 'node:crypto';

import { ResumeUnansweredError } from '../stream/stream-management.js';
import type { ResumableState } from '../stream/stream-management.js';
import type { Credentials, XmppStream, XmppStreamEvents } from '../stream/xmpp-stream.js';
import type { ArchivePositionStore } from './archive-position.js';
import type { History, HistoryMessage, MessageState, NewMessage } from './history.js';
import type { Outbox, OutboxMessage } from './outbox.js';
import { enableCarbons, unwrapCarbon } from './stanzas/carbons.js';
import { chatMessage, chatStateNotification, parseMessage, receipt } from './stanzas/chat.js';
import type { ChatState, InboundChat, MessageBounce } from './stanzas/chat.js';
import { bareJid, parseJid, requireBareJid } from './stanzas/jid.js';
import { mamQuery, parseMamFin, parseMamResult } from './stanzas/mam.js';
import { NS_RECEIPTS, NS_ROSTER, NS_STANZA_ERRORS, NS_STANZA_ID } from './stanzas/namespaces.js';
import { parsePresence, presence, subscription } from './stanzas/presence.js';
import type { Availability, SubscriptionRequest } from './stanzas/presence.js';
import { parseRosterPush, parseRosterResult, rosterGet, rosterRemove, rosterSet } from './stanzas/roster.js';
import type { RosterItem } from './stanzas/roster.js';
import { xml } from './stanzas/xml.js';
import type { Element } from './stanzas/xml.js';

const NS_PING = 'urn:xmpp:ping';

/** Stanza errors that say "not now" rather than "never" (RFC 6120 §8.3.3). */
const transientBounces = new Set(['service-unavailable', 'recipient-unavailable', 'resource-constraint', 'remote-server-timeout']);

export type SessionEvent =
  | { type: 'status'; status: 'online' | 'resumed' | 'offline' }
  | { type: 'roster'; items: RosterItem[] }
  | { type: 'presence'; from: string; availability: Availability; status: string | null }
  | { type: 'subscription'; from: string; request: SubscriptionRequest }
  | { type: 'message'; message: HistoryMessage }
  | { type: 'message-state'; peer: string; id: string; state: MessageState }
  | { type: 'chat-state'; from: string; state: ChatState }
  | { type: 'ignored'; reason: string }
  | { type: 'error'; message: string }
  /** The archive is filling in what came while the account was away (`fetched` so far), or is done (null). */
  | { type: 'catching-up'; fetched: number | null }
  /**
   * The path has been silent for max(1.5 s, 4 × its round trip) while something waits for the
   * server: it may be dead. The stream stays; a path found meanwhile can take it over (`attach`).
   */
  | { type: 'suspect' };

/** What the session needs of a stream: an `XmppStream` that won the race, before it signs in. */
export interface SessionClient
  extends Pick<
    XmppStream,
    | 'authenticate'
    | 'send'
    | 'request'
    | 'managed'
    | 'lastHeardAt'
    | 'lastAckAt'
    | 'ackRequestedAt'
    | 'roundTripMs'
    | 'requestAck'
    | 'unacknowledged'
    | 'exportState'
    | 'drop'
    | 'stop'
  > {
  on<K extends keyof XmppStreamEvents>(event: K, listener: (...args: XmppStreamEvents[K]) => void): unknown;
  off<K extends keyof XmppStreamEvents>(event: K, listener: (...args: XmppStreamEvents[K]) => void): unknown;
}

export interface SessionOptions {
  /** The account's bare JID. */
  account: string;
  outbox: Outbox;
  history: History;
  archivePosition: ArchivePositionStore;
  onEvent: (event: SessionEvent) => void;
  newQueryId?: () => string;
  now?: () => Date;
  archivePageSize?: number;
  /** At most this many archive pages per gap; the rest follows on the next connection, from where this one stopped. */
  archiveMaxPages?: number;
  /**
   * How often an idle stream is probed with an ack request, and how long the answer may take: a
   * path silent for both together is dropped (without closing the stream, so it can be resumed).
   */
  keepalive?: { intervalMs: number; timeoutMs: number };
  /** How long a server may take to answer a request to resume the stream (ejabberd may take 15 s). */
  resumeDeadlineMs?: number;
  /** The least silence, while something waits for the server, that makes a path suspect. */
  suspectAfterMs?: number;
  /**
   * The least silence that makes a just-resumed stream suspect, until the server first acknowledges
   * on it: a server may take seconds working through what it held (ejabberd does).
   */
  resumedGraceMs?: number;
}

export interface AttachOptions {
  /** false: start afresh even where the stream could be resumed (a server known to break such a resume). */
  resume?: boolean;
}

interface RecordedChat {
  /** The message as the history holds it: the copy just added, or the one it already had. */
  message: HistoryMessage;
  /** It is one from the peer that the history did not have yet. */
  firstReceived: boolean;
}

/** Where a chat message came from: the archive id, the ordering time (null: now), the server's sending time, and whether it came live. */
interface ChatSource {
  stanzaId: string | null;
  at: string | null;
  sentAt: string | null;
  live: boolean;
}

interface Gap {
  /**
   * Where the gap's next archived message belongs (null: anywhere): after everything received
   * before the gap (so at first, when the stream that the gap follows went away), and after each
   * archived message before it, including those already received live on the new stream.
   */
  floor: string | null;
}

interface LiveStream {
  client: SessionClient;
  stopListening: () => void;
  /** It is a resumed stream. */
  resumed: boolean;
  /** It signed in: it took over the stream before it, or replaced it. */
  signedIn: boolean;
  /** The path has been silent while something waited for the server, and has not been heard since. */
  suspect: boolean;
  /** The state it was given to resume, still the next connection's to resume should this one not sign in. */
  given: ResumableState | null;
  /**
   * Rejects once the session stops using the connection, so that a request on it fails then
   * instead of waiting out its 30 s timeout (which would hold up the next connection).
   */
  lost: Promise<never>;
}

// A black-holed path is noticed within 15 s: a probe after 4 s of silence, 10 s for its answer,
// and the watchdog looks every quarter second.
const defaultKeepalive = { intervalMs: 4_000, timeoutMs: 10_000 };
const defaultSuspectAfterMs = 1_500;
const defaultResumedGraceMs = 5_000;

export class Session {
  private stream: LiveStream | null = null;
  private online = false;
  private availability: { availability: Availability; status?: string } = { availability: 'available' };
  private readonly roster = new Map<string, RosterItem>();
  private readonly archiveQueries = new Set<string>();
  /**
   * Receipts sent on a stream with stream management that the server has not acknowledged, by
   * receiver and the id they confirm: a fresh session sends them again, or their senders never
   * see "delivered".
   */
  private readonly unacknowledgedReceipts = new Map<string, { to: string; receivedId: string }>();
  /** Where the next archive query starts; live messages move it only while no gap is being filled. */
  private latestArchiveId: string | null = null;
  /** When a stream was last seen live (null: never), kept on disk with `latestArchiveId`. */
  private lastSeenAt: string | null = null;
  /** Set while a fresh stream fills the gap since the last one from the archive. */
  private gap: Gap | null = null;
  /**
   * While a new stream is being set up, messages wait in the outbox, so that one typed meanwhile
   * does not overtake those queued before it.
   */
  private outboxHeld = true;
  /** The server's acknowledgements, recorded in the outbox one after another. */
  private acks: Promise<void> = Promise.resolve();
  /** Inbound stanzas are handled one at a time, in arrival order. */
  private inbound: Promise<void> = Promise.resolve();
  /** Recording that the last stream went away. */
  private goingOffline: Promise<void> = Promise.resolve();
  /** Filling the gap since the last stream from the archive, after going online. */
  private archiveSync: Promise<void> = Promise.resolve();
  /** Messages sent once more after a bounce that may pass: a second bounce fails them. */
  private readonly resentAfterBounce = new Set<string>();
  /** A gap is being filled from the archive. */
  private filling = false;
  /** Archive results received, ever: a fill's progress is the difference. */
  private archivedReceived = 0;
  private readonly now: () => Date;
  private readonly newQueryId: () => string;

  private constructor(private readonly options: SessionOptions) {
    this.now = options.now ?? (() => new Date());
    this.newQueryId = options.newQueryId ?? randomUUID;
  }

  /** Also puts into the history any message the outbox kept but a crash kept out of the history. */
  static async open(options: SessionOptions): Promise<Session> {
    const session = new Session(options);
    for (const message of options.outbox.list()) await options.history.record(outgoingRecord(message));
    const position = await options.archivePosition.read();
    session.latestArchiveId = position.lastArchiveId;
    session.lastSeenAt = position.lastSeenAt;
    return session;
  }

  /**
   * Signs in over a connection that has just won the race. When an earlier connection had stream
   * management on, its stream is resumed if the server still has it; otherwise a fresh session
   * starts, and everything the server never acknowledged is sent again with the same origin-ids.
   * An earlier connection still open (a suspect path that a race beside it has replaced) is
   * dropped without a goodbye, so that the server keeps its stream for this one to take over.
   */
  async attach(client: SessionClient, credentials: Credentials, options: AttachOptions = {}): Promise<'resumed' | 'fresh'> {
    this.outboxHeld = true;
    const previous = this.stream;
    const resumable = this.resumableStream();
    const resume = options.resume === false ? null : resumable;
    previous?.stopListening();
    if (previous && this.online) {
      previous.client.drop();
      this.goingOffline = this.wentOffline({ announce: false });
      await this.goingOffline;
    }
    const connectionLoss = whenConnectionLost(client);
    const stream: LiveStream = { client, stopListening: () => {}, resumed: false, signedIn: false, suspect: false, given: resumable, lost: connectionLoss.lost };
    stream.stopListening = combine(
      this.listen(client),
      watchPath(client, {
        ...(this.options.keepalive ?? defaultKeepalive),
        suspectAfterMs: this.options.suspectAfterMs ?? defaultSuspectAfterMs,
        resumedGraceMs: this.options.resumedGraceMs ?? defaultResumedGraceMs,
        justResumed: () => stream.resumed && client.lastAckAt === null,
        onSuspect: (suspect) => {
          stream.suspect = suspect;
          if (suspect) this.options.onEvent({ type: 'suspect' });
        },
      }),
      connectionLoss.stop,
    );
    this.stream = stream;

    let outcome: 'fresh' | 'resumed';
    try {
      // Nothing goes out before the stream is set up: stream management's answer included.
      ({ outcome } = await client.authenticate(credentials, {
        resume,
        resumeDeadlineMs: this.options.resumeDeadlineMs ?? 20_000,
        resource: parseJid(resumable?.jid)?.resource ?? undefined,
      }));
    } catch (error) {
      // A server that left the resume unanswered is not asked again: the next connection starts afresh.
      if (error instanceof ResumeUnansweredError) stream.given = null;
      throw error;
    }
    stream.signedIn = true;
    this.online = true;
    stream.resumed = outcome === 'resumed';
    if (outcome === 'resumed') {
      this.options.onEvent({ type: 'status', status: 'resumed' });
      // Resuming acknowledged what the server had got; once that is in the outbox, the rest goes
      // now, except what the resumed stream has re-sent itself.
      await this.acks;
      const inFlight = new Set(client.unacknowledged().map(originIdOf));
      this.releaseOutbox(inFlight);
      // A gap the last stream had not finished filling is filled over this one.
      this.catchUp();
    } else {
      // What the old stream never got acknowledged is still in the outbox and goes again from there.
      await this.startFresh();
    }
    return outcome;
  }

  /** Probes the path at once (a network change): if it stays silent, it turns suspect. */
  checkPath(): void {
    if (this.online) this.stream?.client.requestAck();
  }

  /** The stream (live or just lost) was resumed, and the server has acknowledged nothing on it since. */
  get resumedUnproven(): boolean {
    return this.stream?.resumed === true && this.stream.client.lastAckAt === null;
  }

  /** The server has answered an ack request on the current (or just lost) connection: it carried the session both ways. */
  get streamProven(): boolean {
    return this.stream?.signedIn === true && this.stream.client.lastAckAt !== null;
  }

  /** The live path is silent while something waits for the server. */
  get pathSuspect(): boolean {
    return this.online && this.stream?.suspect === true;
  }

  /** Stored on disk first, then sent when a stream is up; it is in the history as `queued`. */
  async send(to: string, body: string): Promise<HistoryMessage> {
    const peer = requireBareJid(to);
    const stored = await this.options.outbox.store({ to: peer, body });
    const outcome = await this.options.history.record(outgoingRecord(stored));
    const message = outcome.added ? outcome.message : outcome.duplicateOf;
    this.options.onEvent({ type: 'message', message });
    this.transmit(stored);
    return message;
  }

  async retry(peer: string, originId: string): Promise<void> {
    await this.options.outbox.retry(originId);
    await this.changeState(peer, originId, 'queued');
    const message = this.options.outbox.get(originId);
    if (message?.state === 'queued') this.transmit(message);
  }

  async setPresence(availability: Availability, status?: string): Promise<void> {
    this.availability = { availability, ...(status ? { status } : {}) };
    if (this.online) await this.stream?.client.send(presence(this.availability));
  }

  async sendChatState(to: string, state: ChatState): Promise<void> {
    if (this.online) await this.stream?.client.send(chatStateNotification({ to, state }));
  }

  /** Adds the contact and asks to see their presence. */
  async addContact(jid: string, name?: string, groups?: string[]): Promise<void> {
    const contact = requireBareJid(jid);
    await this.request(rosterSet({ jid: contact, ...(name ? { name } : {}), ...(groups ? { groups } : {}) }));
    await this.liveStream().client.send(subscription({ to: contact, type: 'subscribe' }));
  }

  async renameContact(jid: string, name: string): Promise<void> {
    const contact = requireBareJid(jid);
    await this.request(rosterSet({ jid: contact, name, groups: this.roster.get(contact)?.groups ?? [] }));
  }

  async removeContact(jid: string): Promise<void> {
    await this.request(rosterRemove(requireBareJid(jid)));
  }

  async answerSubscriptionRequest(jid: string, accept: boolean): Promise<void> {
    await this.liveStream().client.send(subscription({ to: requireBareJid(jid), type: accept ? 'subscribed' : 'unsubscribed' }));
  }

  /** Resolves once everything received, acknowledged or lost so far is recorded. */
  async settled(): Promise<void> {
    for (;;) {
      const pending = [this.inbound, this.acks, this.goingOffline, this.archiveSync];
      await Promise.all(pending);
      if (pending[0] === this.inbound && pending[1] === this.acks && pending[2] === this.goingOffline && pending[3] === this.archiveSync) return;
    }
  }

  /** Signed in over a stream that has not dropped since. */
  get isOnline(): boolean {
    return this.online;
  }

  rosterItems(): RosterItem[] {
    return [...this.roster.values()];
  }

  /** Signs off: the server ends the stream, so it cannot be resumed; the outbox keeps what is unacknowledged. */
  async signOut(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    await stream.client.stop();
    // Ended, the stream cannot be resumed: the next connection starts afresh.
    stream.stopListening();
    this.stream = null;
    await this.wentOffline({ announce: true });
  }

  private liveStream(): LiveStream {
    if (!this.stream || !this.online) throw new Error('the account is not connected');
    return this.stream;
  }

  private request(iq: Element): Promise<Element> {
    const { client, lost } = this.liveStream();
    return Promise.race([client.request(iq), lost]);
  }

  /**
   * The state to resume the current stream with on a new connection, if it can be. (Whether a
   * server can be trusted with a resume between two transports is the account's to learn.)
   */
  private resumableStream(): ResumableState | null {
    const previous = this.stream;
    if (!previous) return null;
    if (!previous.signedIn) return previous.given;
    return previous.client.exportState();
  }

  private listen(client: SessionClient): () => void {
    const onStanza = (stanza: Element) => {
      this.inbound = this.inbound.then(() => this.handleStanza(stanza, client)).catch((error: unknown) => this.reportError(error));
    };
    const onAck = (stanza: Element) => {
      this.acks = this.acks.then(() => this.acknowledged(stanza)).catch((error: unknown) => this.reportError(error));
    };
    const onDisconnect = () => void (this.goingOffline = this.wentOffline({ announce: true }).catch((error: unknown) => this.reportError(error)));
    client.on('stanza', onStanza);
    client.on('disconnect', onDisconnect);
    client.on('ack', onAck);
    return () => {
      client.off('stanza', onStanza);
      client.off('disconnect', onDisconnect);
      client.off('ack', onAck);
    };
  }

  private async startFresh(): Promise<void> {
    const { client } = this.liveStream();
    // RFC 6121 §2.2: the roster before the initial presence, so that presence finds its contacts.
    const roster = parseRosterResult(await this.request(rosterGet()));
    if (roster.kind === 'ignored') this.options.onEvent({ type: 'ignored', reason: roster.reason });
    else {
      this.roster.clear();
      for (const item of roster.items) this.roster.set(item.jid, item);
      for (const reason of roster.skipped) this.options.onEvent({ type: 'ignored', reason });
      this.emitRoster();
    }
    // Where the gap starts is settled before the initial presence: the live messages that come after it must not move it.
    // A gap still unfilled from an earlier stream goes on: it starts earlier, and its fill places each message in the archive's order.
    this.gap ??= await this.gapSinceLastStream();
    await client.send(presence(this.availability));
    await this.request(enableCarbons()).catch(() => this.options.onEvent({ type: 'ignored', reason: 'the server does not offer carbons' }));
    this.options.onEvent({ type: 'status', status: 'online' });
    this.releaseOutbox();
    for (const { to, receivedId } of [...this.unacknowledgedReceipts.values()]) await this.sendReceipt(client, to, receivedId);
    // The session is usable now; the archive fills the gap behind it, page by page.
    this.catchUp();
  }

  /**
   * Fills the pending gap from the archive over the live stream, one fill at a time. A fill cut off
   * by its connection leaves the gap pending, and the next stream goes on with it.
   */
  private catchUp(): void {
    const gap = this.gap;
    const stream = this.stream;
    if (!gap || !stream || this.filling) return;
    this.filling = true;
    this.archiveSync = this.fillFromArchive(gap).finally(() => {
      this.filling = false;
      // The stream changed while this fill was being cut off: the new one takes the gap over.
      if (this.gap === gap && this.online && this.stream !== stream) this.catchUp();
    });
  }

  /** Sends what the outbox holds, oldest first, then lets new messages go out as they come. */
  private releaseOutbox(alreadySent: ReadonlySet<string | undefined> = new Set()): void {
    this.outboxHeld = false;
    for (const message of this.options.outbox.unacknowledged()) if (!alreadySent.has(message.originId)) this.transmit(message);
  }

  private transmit(message: OutboxMessage): void {
    if (!this.online || !this.stream || this.outboxHeld) return;
    const { client } = this.stream;
    this.options.outbox.markSent(message.originId);
    client
      .send(chatMessage(message))
      .then(async () => {
        // Without stream management nothing better than a completed write will ever say the server has it.
        if (!client.managed) await this.serverHas(message.to, message.originId);
      })
      // It stays in the outbox and goes out again on the next stream.
      .catch(() => {});
  }

  private async sendReceipt(on: SessionClient, to: string, receivedId: string): Promise<void> {
    if (this.stream?.client.managed) this.unacknowledgedReceipts.set(receiptKey(to, receivedId), { to, receivedId });
    await on.send(receipt({ to, receivedId }));
  }

  private async acknowledged(stanza: Element): Promise<void> {
    const receivedId = stanza.is('message') ? stanza.getChild('received', NS_RECEIPTS)?.attrs.id : undefined;
    if (receivedId) this.unacknowledgedReceipts.delete(receiptKey(stanza.attrs.to ?? '', receivedId));
    const originId = originIdOf(stanza);
    const peer = bareJid(stanza.attrs.to);
    if (originId && peer) await this.serverHas(peer, originId);
  }

  private async serverHas(peer: string, originId: string): Promise<void> {
    await this.options.outbox.markAcked(originId);
    await this.changeState(peer, originId, 'sent');
  }

  private async changeState(peer: string, id: string, state: MessageState): Promise<void> {
    if (await this.options.history.setState(peer, id, state)) {
      this.options.onEvent({ type: 'message-state', peer: requireBareJid(peer), id, state });
    }
  }

  private async handleStanza(stanza: Element, replyOn: SessionClient): Promise<void> {
    if (stanza.is('message')) await this.handleMessage(stanza, replyOn);
    else if (stanza.is('presence')) this.handlePresence(stanza);
    else if (stanza.is('iq')) await this.handleIq(stanza, replyOn);
  }

  private async handleMessage(stanza: Element, replyOn: SessionClient): Promise<void> {
    const { account } = this.options;
    const archived = parseMamResult(stanza, { ownBareJid: account, queryIds: this.archiveQueries });
    if (archived?.kind === 'ignored') return this.ignore(archived.reason);
    if (archived) {
      this.archivedReceived += 1;
      // The archive stamps to the second, and the results come in the archive's order: each is placed after the one before.
      const { gap } = this;
      const at = later(gap?.floor ?? null, archived.archivedAt);
      const copy = await this.recordCopy(archived.message, { stanzaId: archived.archiveId, at, sentAt: archived.archivedAt });
      if (gap && copy) gap.floor = later(gap.floor, copy.message.at);
      // A message from the peer first received here, filling the gap (it came while the stream was away): its receipt
      // is due now, or the sender never sees it delivered. XEP-0184 forbids receipts only for history seen again.
      if (copy?.firstReceived && copy.chat.requestsReceipt && copy.chat.id) await this.sendReceipt(replyOn, copy.chat.from, copy.chat.id);
      return;
    }

    const carbon = unwrapCarbon(stanza, account);
    if (carbon?.kind === 'ignored') return this.ignore(carbon.reason);
    if (carbon) {
      // A copy of what another of the user's devices received or sent: any receipt is that device's to send.
      await this.recordCopy(carbon.message, { stanzaId: null, at: null, sentAt: null });
      return;
    }

    const parsed = parseMessage(stanza, account);
    switch (parsed.kind) {
      case 'ignored':
        return this.ignore(parsed.reason);
      case 'chat':
        // Ordered by arrival: the server delivers in order, and its delay stamps are only to the second.
        await this.recordChat(parsed, { stanzaId: parsed.stanzaId, at: null, sentAt: parsed.delayedFrom, live: true });
        // Even for a copy: the first receipt may be what got lost.
        if (parsed.requestsReceipt && parsed.id) await this.sendReceipt(replyOn, parsed.from, parsed.id);
        return;
      case 'receipt':
        await this.options.outbox.markAcked(parsed.receivedId);
        return this.changeState(parsed.from, parsed.receivedId, 'delivered');
      case 'bounce':
        return this.bounced(parsed);
      case 'chat-state':
        this.options.onEvent({ type: 'chat-state', from: parsed.from, state: parsed.state });
    }
  }

  /**
   * A bounce that may pass goes once more, with the same origin-id (the recipient keeps one copy):
   * ejabberd bounces what a recipient's dropped session still held and had not archived, while
   * the recipient is already back on another. Any other bounce, or a second one, fails the message.
   */
  private async bounced({ from, id, condition }: MessageBounce): Promise<void> {
    const peer = bareJid(from) ?? from;
    if (transientBounces.has(condition) && !this.resentAfterBounce.has(id)) {
      this.resentAfterBounce.add(id);
      const recorded = await this.options.history.message(peer, id);
      const again = this.options.outbox.get(id) ?? (recorded?.direction === 'out' ? { originId: id, to: peer, body: recorded.body, createdAt: recorded.at } : null);
      if (again) {
        this.transmit(await this.options.outbox.requeue(again));
        return;
      }
    }
    await this.options.outbox.markFailed(id, condition);
    await this.changeState(peer, id, 'failed');
  }

  /**
   * A message forwarded by the server: a carbon, or an archive result. Only chat messages matter here;
   * for one, returns it and how it was recorded.
   */
  private async recordCopy(message: Element, source: Omit<ChatSource, 'live'>): Promise<({ chat: InboundChat } & RecordedChat) | null> {
    const parsed = parseMessage(message, this.options.account);
    if (parsed.kind === 'ignored') {
      this.ignore(parsed.reason);
      return null;
    }
    if (parsed.kind !== 'chat') return null;
    const recorded = await this.recordChat(parsed, { ...source, stanzaId: source.stanzaId ?? parsed.stanzaId, live: false });
    return recorded && { chat: parsed, ...recorded };
  }

  /** A chat message from the peer, or one of the user's own from another device. */
  private async recordChat(chat: InboundChat, source: ChatSource): Promise<RecordedChat | null> {
    const direction = bareJid(chat.from) === this.options.account ? 'out' : 'in';
    const peer = direction === 'out' ? bareJid(chat.to ?? undefined) : bareJid(chat.from);
    if (!peer) {
      this.ignore('a message of the user’s own without a valid recipient');
      return null;
    }
    const { stanzaId } = source;
    if (stanzaId && source.live && !this.gap) this.latestArchiveId = stanzaId;
    const at = source.at ?? this.now().toISOString();
    const outcome = await this.options.history.record(incomingRecord(chat, { peer, direction, stanzaId, at, sentAt: source.sentAt }));
    if (outcome.added) this.options.onEvent({ type: 'message', message: outcome.message });
    return { message: outcome.added ? outcome.message : outcome.duplicateOf, firstReceived: outcome.added && direction === 'in' };
  }

  private handlePresence(stanza: Element): void {
    const parsed = parsePresence(stanza);
    if (parsed.kind === 'ignored') this.ignore(parsed.reason);
    else if (parsed.kind === 'presence') this.options.onEvent({ type: 'presence', from: parsed.from, availability: parsed.availability, status: parsed.status });
    else if (parsed.kind === 'subscription') this.options.onEvent({ type: 'subscription', from: parsed.from, request: parsed.type });
  }

  /** Every iq get or set gets an answer (RFC 6120 §8.2.3): the ones Burrow does not serve, service-unavailable. */
  private async handleIq(iq: Element, replyOn: SessionClient): Promise<void> {
    const { type, id, from } = iq.attrs;
    if (type !== 'get' && type !== 'set') return;
    const reply = (element?: Element) => replyOn.send(xml('iq', { type: element ? 'error' : 'result', id, to: from }, element));
    if (iq.getChild('query', NS_ROSTER)) {
      const push = parseRosterPush(iq, this.options.account);
      // RFC 6121 §2.1.6: a push from anyone else is ignored, not answered.
      if (push.kind === 'ignored') return this.ignore(push.reason);
      if (push.kind === 'roster-push') this.roster.set(push.item.jid, push.item);
      else this.roster.delete(push.jid);
      this.emitRoster();
      return void (await reply());
    }
    if (type === 'get' && iq.getChild('ping', NS_PING)) return void (await reply());
    await reply(xml('error', { type: 'cancel' }, xml('service-unavailable', { xmlns: NS_STANZA_ERRORS })));
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
    await this.inbound;
    const firstStream = this.latestArchiveId === null && this.lastSeenAt === null;
    return { floor: firstStream ? this.now().toISOString() : this.lastSeenAt };
  }

  /** Pages through the archive from where the history left off; copies already here are dropped by the history. */
  private async fillFromArchive(gap: Gap): Promise<void> {
    const { archivePageSize = 100, archiveMaxPages = 100 } = this.options;
    const since = new Date(gap.floor ?? 0);
    const receivedBefore = this.archivedReceived;
    this.options.onEvent({ type: 'catching-up', fetched: 0 });
    try {
      for (let pages = 1; ; pages++) {
        const queryId = this.newQueryId();
        this.archiveQueries.add(queryId);
        const from = this.latestArchiveId === null ? { start: since } : { after: this.latestArchiveId };
        try {
          const answer = await this.request(mamQuery({ queryId, max: archivePageSize, ...from }));
          // The page's messages all arrived before the answer; once the queue is through them, they are in the history.
          await this.inbound;
          const page = parseMamFin(answer);
          if (page.kind === 'ignored') return this.gapFilled(gap, page.reason);
          if (page.last !== null) {
            this.latestArchiveId = page.last;
            await this.savePosition();
          }
          if (page.complete || page.last === null) return this.gapFilled(gap);
          this.options.onEvent({ type: 'catching-up', fetched: this.archivedReceived - receivedBefore });
          if (pages >= archiveMaxPages) {
            return this.gapFilled(gap, `more than ${pages} pages of archive to catch up on: the rest follows on the next connection`);
          }
        } finally {
          this.archiveQueries.delete(queryId);
        }
      }
    } catch (error) {
      this.reportError(error);
    } finally {
      this.options.onEvent({ type: 'catching-up', fetched: null });
    }
  }

  /** The fill of `gap` is over (done, or as far as it goes this time, and why). */
  private gapFilled(gap: Gap, notice?: string): void {
    if (this.gap === gap) this.gap = null;
    if (notice) this.ignore(notice);
  }

  /** `announce`: say so (the caller reconnects); not when a new connection is already taking over. */
  private async wentOffline({ announce }: { announce: boolean }): Promise<void> {
    if (!this.online) return;
    this.online = false;
    if (announce) this.options.onEvent({ type: 'status', status: 'offline' });
    // What the stream delivered before it went is recorded first: a gap starts after the last of it.
    await this.inbound;
    await this.savePosition();
  }

  /** Notes how far the history has caught up with the archive, and that a stream was live until now. */
  private async savePosition(): Promise<void> {
    this.lastSeenAt = this.now().toISOString();
    await this.options.archivePosition.write({ lastArchiveId: this.latestArchiveId, lastSeenAt: this.lastSeenAt });
  }

  private emitRoster(): void {
    this.options.onEvent({ type: 'roster', items: this.rosterItems() });
  }

  private ignore(reason: string): void {
    this.options.onEvent({ type: 'ignored', reason });
  }

  private reportError(error: unknown): void {
    this.options.onEvent({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
}

/** The later of two ISO 8601 times; null counts as earliest. */
function later(a: string | null, b: string | null): string | null {
  if (a === null || b === null) return a ?? b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

function outgoingRecord(message: OutboxMessage): NewMessage {
  return { peer: message.to, direction: 'out', body: message.body, at: message.createdAt, sentAt: null, originId: message.originId, stanzaId: null, state: 'queued' };
}

function incomingRecord(
  chat: InboundChat,
  where: Pick<NewMessage, 'peer' | 'direction' | 'stanzaId' | 'at' | 'sentAt'>,
): NewMessage {
  return { ...where, body: chat.body, originId: chat.originId, state: where.direction === 'in' ? 'received' : 'sent' };
}

interface PathWatch {
  intervalMs: number;
  timeoutMs: number;
  suspectAfterMs: number;
  resumedGraceMs: number;
  /** The stream was resumed and the server has acknowledged nothing on it yet. */
  justResumed: () => boolean;
  /** The path turned suspect (true), or was heard from again (false). */
  onSuspect: (suspect: boolean) => void;
}

/**
 * Watches a path: while something waits for the server (an ack request is out), a path silent for
 * max(`suspectAfterMs`, 4 × its round trip) is suspect (`resumedGraceMs` at least, on a stream just
 * resumed); a quiet path is probed with an ack request after `intervalMs`, and dropped (without
 * closing the stream, so it can be resumed) once nothing has come for `timeoutMs` more.
 */
function watchPath(client: SessionClient, { intervalMs, timeoutMs, suspectAfterMs, resumedGraceMs, justResumed, onSuspect }: PathWatch): () => void {
  let probedQuietSince: number | null = null;
  let suspectSince: number | null = null;
  const check = setInterval(() => {
    const now = Date.now();
    const quietSince = client.lastHeardAt;
    if (suspectSince !== null && quietSince >= suspectSince) {
      suspectSince = null;
      onSuspect(false);
    }
    const waitingSince = client.ackRequestedAt;
    if (suspectSince === null && waitingSince !== null) {
      const silentMs = now - Math.max(waitingSince, quietSince);
      if (silentMs > Math.max(suspectAfterMs, 4 * (client.roundTripMs ?? 0), justResumed() ? resumedGraceMs : 0)) {
        suspectSince = now;
        onSuspect(true);
      }
    }
    const quietMs = now - quietSince;
    if (quietMs > intervalMs + timeoutMs) {
      clearInterval(check);
      client.drop();
    } else if (quietMs >= intervalMs && probedQuietSince !== quietSince) {
      probedQuietSince = quietSince;
      client.requestAck();
    }
  }, Math.min(250, intervalMs, timeoutMs, suspectAfterMs));
  check.unref();
  return () => clearInterval(check);
}

/** `lost` rejects when the connection goes, or when the session stops using it (`stop`). */
function whenConnectionLost(client: SessionClient): { lost: Promise<never>; stop: () => void } {
  let lose = () => {};
  const lost = new Promise<never>((_, reject) => {
    lose = () => reject(new Error('the connection was lost'));
  });
  lost.catch(() => {});
  client.on('disconnect', lose);
  return {
    lost,
    stop: () => {
      client.off('disconnect', lose);
      lose();
    },
  };
}

function combine(...stops: (() => void)[]): () => void {
  return () => stops.forEach((stop) => stop());
}

/** Message ids are the sender's own: two senders may use the same one. */
function receiptKey(to: string, receivedId: string): string {
  return `${to} ${receivedId}`;
}

function originIdOf(stanza: Element): string | undefined {
  return stanza.is('message') ? stanza.getChild('origin-id', NS_STANZA_ID)?.attrs.id : undefined;
}
