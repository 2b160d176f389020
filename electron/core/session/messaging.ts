/**
 * The messaging part of a session: one-to-one chat through the durable outbox (held while a new
 * stream is set up, released oldest first), the server's acknowledgements, receipts both ways,
 * bounces, every inbound copy of a chat message recorded once in the history, and corrections
 * (XEP-0308) both ways. Room messages take the same outbox: they go once their room is joined and
 * caught up, and leave it when the room reflects them (rooms.ts).
 */
import { ConnectionGoneError } from '../stream/errors.js';
import type { Correction, CorrectionOutcome, History, HistoryMessage, MessageState, NewMessage } from './history.js';
import type { Outbox, OutboxMessage } from './outbox.js';
import type { SessionClient, SessionLink } from './session-link.js';
import { chatMessage, chatStateNotification, conversationWith, parseMessage, receipt } from './stanzas/chat.js';
import { groupchatMessage } from './stanzas/muc.js';
import type { ChatState, InboundChat, InboundMessage, InboundReceipt, MessageBounce } from './stanzas/chat.js';
import { bareJid, conversationJid, requireBareJid, requireConversationJid } from './stanzas/jid.js';
import { NS_RECEIPTS, NS_STANZA_ID } from './stanzas/namespaces.js';
import type { Ignored } from './stanzas/parsed.js';
import type { Element } from './stanzas/xml.js';

/**
 * At most this many stanzas the server has not acknowledged yet: beyond it, messages wait in the
 * outbox for acknowledgements. A server slower than the sender (ejabberd archiving on SQLite takes
 * some 50 a second) then never builds a backlog that delays a resume or that a restart can lose.
 */
const maxInFlight = 100;

/**
 * How long after the server acknowledged a message it may still lose it in a restart, undelivered
 * and unarchived: ejabberd archives a recipient's messages in the recipient's session, one by one,
 * and a backlog of seconds there dies with the server. Two minutes leave room to spare.
 */
const serverMayLoseMs = 120_000;
/** At most this many acknowledged messages wait here for their receipt (the oldest go first). */
const maxAwaitingReceipt = 2_000;

/**
 * What a server held for the user (offline storage, a resumed stream's unacknowledged queue) it
 * delivers as a stream begins; a delayed message arriving later than this is placed where it arrives.
 */
const heldDeliveryWindowMs = 15_000;

/** Stanza errors that say "not now" rather than "never" (RFC 6120 §8.3.3). */
const transientBounces = new Set(['service-unavailable', 'recipient-unavailable', 'resource-constraint', 'remote-server-timeout']);

export interface MessagingOptions {
  /** The account's bare JID. */
  account: string;
  outbox: Outbox;
  history: History;
  now: () => Date;
  /** A live message carried the archive id `stanzaId`: the archive sync may move past it. */
  liveArchiveId: (stanzaId: string) => void;
  /** The user is in `room` on this stream and has caught up with its archive: its messages may go. */
  roomOpen: (room: string) => boolean;
}

/** Where a chat message came from: the archive id, the ordering time (null: now), the server's sending time, and whether it came live. */
export interface ChatSource {
  stanzaId: string | null;
  at: string | null;
  sentAt: string | null;
  live: boolean;
}

export interface RecordedChat {
  /** The message as the history holds it: the copy just added, or the one it already had. */
  message: HistoryMessage;
  /** It is one from the peer that the history did not have yet. */
  firstReceived: boolean;
}

export class Messaging {
  /**
   * Receipts sent on a stream with stream management that the server has not acknowledged, by
   * receiver and the id they confirm: a fresh session sends them again, or their senders never
   * see "delivered".
   */
  private readonly unacknowledgedReceipts = new Map<string, { to: string; receivedId: string }>();
  /**
   * Messages the server acknowledged and their recipient has not confirmed yet, oldest first, with
   * when the server took them: should the server lose the stream, it may have lost them too.
   */
  private readonly awaitingReceipt = new Map<string, { message: OutboxMessage; ackedAt: number }>();
  /**
   * The peers that confirm receipt. Each message counts as delivered only by its own receipt: a
   * server may deliver a newer message to the peer's new session while older ones still wait in
   * the queue of its old one (ejabberd did, and lost them in a restart).
   */
  private readonly confirmingPeers = new Set<string>();
  /** Messages sent once more after a bounce that may pass: a second bounce fails them. */
  private readonly resentAfterBounce = new Set<string>();
  /**
   * While a new stream is being set up, messages wait in the outbox, so that one typed meanwhile
   * does not overtake those queued before it.
   */
  private held = true;
  /**
   * The stream being set up or live, when that began, and per peer where the first message that
   * came undelayed on it was placed: one the server held for the user (delayed) is older, and goes
   * before it. A message still coming in on the stream before it counts for nothing here.
   */
  private stream: { client: SessionClient | null; beganAt: number; firstLive: Map<string, string> } = { client: null, beganAt: 0, firstLive: new Map() };
  /** Origin-ids sent on the current stream, or re-sent by it when it resumed. */
  private sentOnStream = new Set<string>();
  /** Messages wait in the outbox for the server to acknowledge what is in flight. */
  private waitingForAcks = false;
  /** The server's acknowledgements, recorded in the outbox one after another. */
  private acks: Promise<void> = Promise.resolve();
  /** Stanzas the server acknowledged that the next turn of `acks` records, all together. */
  private acknowledgedToRecord: Element[] = [];
  /** Receipts sent once the messages they confirm are on disk, in the order they were asked for. */
  private receiptsSending: Promise<void> = Promise.resolve();
  /**
   * Room messages the server has acknowledged and the room has not reflected yet: a resumed stream
   * still brings their reflection, so they do not go again; after a fresh start the room's archive decides.
   */
  private readonly awaitingReflection = new Set<string>();

  constructor(
    private readonly options: MessagingOptions,
    private readonly link: SessionLink,
  ) {}

  /** Puts into the history any message (or correction) the outbox kept but a crash kept out of the history. */
  async recoverOutbox(): Promise<void> {
    for (const message of this.options.outbox.list()) {
      if (message.replaces === undefined) await this.options.history.record(outgoingRecord(message));
      else await this.options.history.correct(ownCorrection(message, message.replaces));
    }
  }

  /** Stored on disk first, then sent when a stream is up (`room`: once the room is open); it is in the history as `queued`. */
  async send(to: string, body: string, { oob = false, room = false }: { oob?: boolean; room?: boolean } = {}): Promise<HistoryMessage> {
    // A room's occupant (a full JID) for a private message through the room; anyone else by their bare JID.
    const peer = requireConversationJid(to);
    const stored = await this.options.outbox.store({ to: peer, body, room, ...(oob ? { oob } : {}) });
    const outcome = await this.options.history.record(outgoingRecord(stored));
    const message = outcome.added ? outcome.message : outcome.duplicateOf;
    this.link.emit({ type: 'message', message });
    this.sendWaiting();
    return message;
  }

  /**
   * Corrects one of the user's own messages (XEP-0308): the correction goes through the outbox
   * like any message, naming the original by the id it was sent with, and the history shows the
   * new text at once. Null when `id` is no message of the user's in that conversation.
   */
  async correct(to: string, id: string, body: string): Promise<HistoryMessage | null> {
    const peer = requireConversationJid(to);
    const original = await this.options.history.message(peer, id);
    const replaces = await this.options.history.senderId(peer, id);
    if (original?.direction !== 'out' || replaces === null) return null;
    if (original.body === body) return original;
    const stored = await this.options.outbox.store({ to: peer, body, replaces });
    const outcome = await this.options.history.correct(ownCorrection(stored, replaces));
    if (outcome.kind === 'corrected') this.link.emit({ type: 'message', message: outcome.message });
    this.sendWaiting();
    return outcome.kind === 'corrected' || outcome.kind === 'unchanged' ? outcome.message : null;
  }

  async retry(peer: string, originId: string): Promise<void> {
    await this.options.outbox.retry(originId);
    await this.changeState(peer, originId, 'queued');
    this.sentOnStream.delete(originId);
    this.sendWaiting();
  }

  async sendChatState(to: string, state: ChatState): Promise<void> {
    await this.link.client?.send(chatStateNotification({ to, state }));
  }

  /** A new stream is being set up: new messages wait in the outbox. */
  hold(client: SessionClient): void {
    this.held = true;
    this.stream = { client, beganAt: this.options.now().getTime(), firstLive: new Map() };
  }

  /**
   * Sends what the outbox holds, oldest first, then lets new messages go out as they come — unless
   * `client` is no longer the stream being set up: a stream given up while it was being released
   * (a resume whose acknowledgements were slow to record) must not release the next one early,
   * which would send newer messages ahead of older ones that stream has yet to send again.
   */
  release(client: SessionClient, alreadySent: ReadonlySet<string | undefined> = new Set()): void {
    if (client !== this.stream.client) return;
    this.held = false;
    this.sentOnStream = new Set([...alreadySent].filter((originId): originId is string => originId !== undefined));
    this.sendWaiting();
  }

  /**
   * Resuming acknowledged what the server had got; once that is in the outbox, the rest goes now,
   * except what the resumed stream has re-sent itself.
   */
  async releaseAfterResume(client: SessionClient): Promise<void> {
    await this.acks;
    const resent = client.unacknowledged();
    this.release(client, new Set(resent.map(originIdOf)));
    // A receipt written after its connection had gone was never counted by the stream: it goes now.
    const resentReceipts = new Set(resent.map((stanza) => receiptKeyOf(stanza)));
    for (const [key, { to, receivedId }] of this.unacknowledgedReceipts) {
      if (!resentReceipts.has(key)) await this.sendReceipt(client, to, receivedId);
    }
  }

  /**
   * The server ended the stream and then no longer had it (it restarted): what it acknowledged
   * lately to a peer that confirms receipt, and that peer has not confirmed, goes back into the
   * outbox, in its place, to be sent again with its origin-id (the recipient keeps one copy).
   */
  async requeueUnconfirmed(): Promise<void> {
    const since = this.options.now().getTime() - serverMayLoseMs;
    const unconfirmed = [...this.awaitingReceipt.values()].filter(
      ({ message, ackedAt }) => ackedAt >= since && this.confirmingPeers.has(message.to),
    );
    this.awaitingReceipt.clear();
    // A new server, a new chance: a bounce of an earlier copy does not count against these.
    for (const { message } of unconfirmed) this.resentAfterBounce.delete(message.originId);
    await this.options.outbox.requeue(...unconfirmed.map(({ message }) => message));
  }

  /** A fresh stream: the receipts the server never acknowledged go again. */
  async resendReceipts(client: SessionClient): Promise<void> {
    // The last stream's acknowledgements first: a receipt the server took need not go twice.
    await this.acks;
    for (const { to, receivedId } of [...this.unacknowledgedReceipts.values()]) await this.sendReceipt(client, to, receivedId);
  }

  /**
   * The server has this stanza (stream management): recorded after the acknowledgements before it.
   * One `<a/>` acknowledges a run of stanzas, and they are recorded together: one write to disk.
   */
  acknowledged(stanza: Element): void {
    this.acknowledgedToRecord.push(stanza);
    if (this.acknowledgedToRecord.length > 1) return;
    this.acks = this.acks
      .then(async () => {
        const stanzas = this.acknowledgedToRecord;
        this.acknowledgedToRecord = [];
        await this.serverHasStanzas(stanzas);
        if (this.waitingForAcks) this.sendWaiting();
      })
      .catch((error: unknown) => this.link.reportError(error));
  }

  /**
   * The room reflected the user's message (live, or found in its archive after a cut): the room has
   * it, and everyone in it. Recorded in turn with the server's acknowledgements.
   */
  async reflected(room: string, originId: string): Promise<void> {
    this.acks = this.acks
      .then(async () => {
        await this.options.outbox.markAcked(originId);
        this.awaitingReflection.delete(originId);
        this.sentOnStream.delete(originId);
      })
      .catch((error: unknown) => this.link.reportError(error));
    await this.acks;
    await this.changeState(room, originId, 'delivered');
  }

  /**
   * A fresh stream: the server that acknowledged the room messages still unreflected is gone, and
   * only each room's archive can say whether they reached it (`roomOpened`). Recorded after the
   * last stream's acknowledgements, so that none of them counts on the new stream.
   */
  startedAfresh(): void {
    this.acks = this.acks.then(() => this.awaitingReflection.clear()).catch((error: unknown) => this.link.reportError(error));
  }

  /**
   * The room turned out not to have the user (rooms.ts): what it has not reflected may never have
   * reached it, and only its archive can say, once the user is in again (`roomOpened`).
   */
  roomLost(room: string): void {
    this.acks = this.acks
      .then(() => {
        for (const message of this.options.outbox.unacknowledged()) {
          if (message.to !== room) continue;
          this.awaitingReflection.delete(message.originId);
          this.sentOnStream.delete(message.originId);
        }
      })
      .catch((error: unknown) => this.link.reportError(error));
  }

  /**
   * The user is in `room` again and its archive has been read: what it neither reflected nor
   * archived never reached it, and goes again now, with its origin-id, in order.
   */
  roomOpened(): void {
    this.acks = this.acks.then(() => this.sendWaiting()).catch((error: unknown) => this.link.reportError(error));
  }

  /** Resolves once every acknowledgement so far is recorded. */
  acknowledgementsRecorded(): Promise<void> {
    return this.acks;
  }

  /** A message that came live (not a carbon, not from the archive), parsed. */
  async handleLive(parsed: InboundMessage | Ignored, replyOn: SessionClient): Promise<void> {
    switch (parsed.kind) {
      case 'ignored':
        return this.ignore(parsed.reason);
      case 'chat':
        await this.recordChat(parsed, { stanzaId: parsed.stanzaId, at: this.placeLive(parsed, replyOn), sentAt: parsed.delayedFrom, live: true });
        // Even for a copy: the first receipt may be what got lost.
        if (parsed.requestsReceipt && parsed.id) this.receiptOnceStored(replyOn, parsed.from, parsed.id);
        return;
      case 'receipt':
        return this.receiptFromPeer(parsed);
      case 'bounce':
        return this.bounced(parsed);
      case 'chat-state':
        this.link.emit({ type: 'chat-state', peer: conversationWith(parsed.from, parsed) ?? parsed.from, state: parsed.state });
    }
  }

  /**
   * A message forwarded by the server: a carbon, or an archive result. Only chat messages matter here;
   * for one, returns it and how it was recorded.
   */
  async recordCopy(message: Element, source: Omit<ChatSource, 'live'>): Promise<({ chat: InboundChat } & RecordedChat) | null> {
    const parsed = parseMessage(message, this.options.account);
    if (parsed.kind === 'ignored') {
      this.ignore(parsed.reason);
      return null;
    }
    // A receipt the peer sent while this stream was away, kept by the archive (it asks to be stored).
    if (parsed.kind === 'receipt' && bareJid(parsed.from) !== this.options.account) await this.receiptFromPeer(parsed);
    if (parsed.kind !== 'chat') return null;
    const recorded = await this.recordChat(parsed, { ...source, stanzaId: source.stanzaId ?? parsed.stanzaId, live: false });
    return recorded && { chat: parsed, ...recorded };
  }

  /**
   * A receipt says the message is kept: it goes once the history has it on disk. The inbound
   * stanzas behind it need not wait for that, and a burst of them shares one write to disk.
   */
  receiptOnceStored(on: SessionClient, to: string, receivedId: string): void {
    const sending = this.options.history
      .committed()
      .then(() => this.sendReceipt(on, to, receivedId))
      .catch((error: unknown) => this.link.reportError(error));
    this.receiptsSending = this.receiptsSending.then(() => sending);
  }

  /** Resolves once every receipt asked for so far is sent, or kept for the next stream. */
  receiptsSent(): Promise<void> {
    return this.receiptsSending;
  }

  /** Resolves once everything recorded so far is on disk. */
  historyStored(): Promise<void> {
    return this.options.history.committed();
  }

  async sendReceipt(on: SessionClient, to: string, receivedId: string): Promise<void> {
    if (!on.managed) return on.send(receipt({ to, receivedId }));
    this.unacknowledgedReceipts.set(receiptKey(to, receivedId), { to, receivedId });
    // Kept until the server acknowledges it: a connection already gone leaves it to the next stream.
    await on.send(receipt({ to, receivedId })).catch((error: unknown) => {
      if (!(error instanceof ConnectionGoneError)) throw error;
    });
  }

  /** Sends, oldest first, what the outbox holds and this stream has not carried, while the server keeps up. */
  private sendWaiting(): void {
    const { client } = this.link;
    if (!client || this.held) return;
    this.waitingForAcks = false;
    // A room message that must wait holds back the later ones to its room: a room gets them in order.
    const heldRooms = new Set<string>();
    const waiting = this.options.outbox.unacknowledged().filter((message) => {
      if (message.room && (heldRooms.has(message.to) || this.awaitingReflection.has(message.originId) || !this.options.roomOpen(message.to))) {
        // One the server has and the room may still reflect on this stream holds nothing back; one not sent yet does.
        if (!this.awaitingReflection.has(message.originId)) heldRooms.add(message.to);
        return false;
      }
      return !this.sentOnStream.has(message.originId);
    });
    for (const message of waiting) {
      if (client.managed && client.unacknowledged().length >= maxInFlight) {
        this.waitingForAcks = true;
        return;
      }
      this.sentOnStream.add(message.originId);
      this.transmit(client, message);
    }
  }

  private transmit(client: SessionClient, message: OutboxMessage): void {
    this.options.outbox.markSent(message.originId);
    client
      .send(message.room ? groupchatMessage(message) : chatMessage(message))
      .then(async () => {
        // Without stream management nothing better than a completed write will ever say the server has it.
        if (!client.managed) await this.serverHas([{ peer: message.to, originId: message.originId }]);
      })
      // It stays in the outbox and goes out again on the next stream.
      .catch(() => {});
  }

  private async serverHasStanzas(stanzas: Element[]): Promise<void> {
    const messages: { peer: string; originId: string }[] = [];
    for (const stanza of stanzas) {
      const receiptSent = receiptKeyOf(stanza);
      if (receiptSent) this.unacknowledgedReceipts.delete(receiptSent);
      const originId = originIdOf(stanza);
      // Burrow's own message names its conversation as its recipient.
      const peer = conversationJid(stanza.attrs.to);
      if (originId && peer) messages.push({ peer, originId });
    }
    if (messages.length > 0) await this.serverHas(messages);
  }

  private async serverHas(messages: { peer: string; originId: string }[]): Promise<void> {
    // A room message leaves the outbox only with the room's reflection.
    const toRooms = messages.filter(({ originId }) => this.options.outbox.get(originId)?.room);
    for (const { originId } of toRooms) this.awaitingReflection.add(originId);
    const toPeers = messages.filter((message) => !toRooms.includes(message));
    for (const message of await this.options.outbox.markAcked(...toPeers.map(({ originId }) => originId))) this.awaitReceipt(message);
    // Out of the outbox, it is nothing the stream still has to carry: the set stays as small as what is in flight.
    for (const { originId } of toPeers) this.sentOnStream.delete(originId);
    await Promise.all(messages.map(({ peer, originId }) => this.changeState(peer, originId, 'sent')));
  }

  private awaitReceipt(message: OutboxMessage): void {
    this.awaitingReceipt.set(message.originId, { message, ackedAt: this.options.now().getTime() });
    const [oldest] = this.awaitingReceipt.keys();
    if (this.awaitingReceipt.size > maxAwaitingReceipt && oldest !== undefined) this.awaitingReceipt.delete(oldest);
  }

  private confirmed(peer: string, originId: string): void {
    this.confirmingPeers.add(peer);
    this.awaitingReceipt.delete(originId);
  }

  private async changeState(peer: string, id: string, state: MessageState): Promise<void> {
    const message = await this.options.history.setState(peer, id, state);
    if (message) this.link.emit({ type: 'message-state', message });
  }

  /**
   * A bounce that may pass goes once more, with the same origin-id (the recipient keeps one copy):
   * ejabberd bounces what a recipient's dropped session still held and had not archived, while
   * the recipient is already back on another. Any other bounce, or a second one, fails the message.
   */
  private async bounced({ from, id, condition }: MessageBounce): Promise<void> {
    // A correction is no message of the history's: it is known only here, until its receipt.
    const sent = this.options.outbox.get(id) ?? this.awaitingReceipt.get(id)?.message;
    const peer = sent?.to ?? bareJid(from) ?? from;
    if (transientBounces.has(condition) && !this.resentAfterBounce.has(id)) {
      this.resentAfterBounce.add(id);
      const recorded = await this.options.history.message(peer, id);
      const again = sent ?? (recorded?.direction === 'out' ? { originId: id, to: peer, body: recorded.body, createdAt: recorded.at } : null);
      if (again) {
        await this.options.outbox.requeue(again);
        this.sentOnStream.delete(id);
        this.sendWaiting();
        return;
      }
    }
    if (sent?.replaces !== undefined) return this.correctionFailed(sent, sent.replaces, condition);
    await this.options.outbox.markFailed(id, condition);
    await this.changeState(peer, id, 'failed');
  }

  /**
   * The peer never got this correction: the message it corrects says so. Nothing offers to send a
   * correction again (a new one is made instead), so it leaves the outbox.
   */
  private async correctionFailed(correction: OutboxMessage, replaces: string, condition: string): Promise<void> {
    await this.options.outbox.discard(correction.originId);
    this.awaitingReceipt.delete(correction.originId);
    const marked = await this.options.history.correctionFailed(correction.to, replaces, correction.body, condition);
    if (marked) this.link.emit({ type: 'message', message: marked });
  }

  /** A chat message from the peer, or one of the user's own from another device. */
  private async recordChat(chat: InboundChat, source: ChatSource): Promise<RecordedChat | null> {
    const direction = bareJid(chat.from) === this.options.account ? 'out' : 'in';
    const peer = conversationWith(direction === 'out' ? chat.to : chat.from, chat);
    if (!peer) {
      this.ignore('a message of the user’s own without a valid recipient');
      return null;
    }
    const { stanzaId } = source;
    if (stanzaId && source.live) this.options.liveArchiveId(stanzaId);
    const at = source.at ?? this.options.now().toISOString();
    if (chat.replaces !== null) {
      // Ordered by when it was sent, where the server says: an archive result's placement says nothing of that.
      const outcome = await this.options.history.correct({ peer, direction, replaces: chat.replaces, body: chat.body, at: source.sentAt ?? at });
      // A correction of a message not here (never received, or let go) is kept as a message of its own.
      if (outcome.kind !== 'not-found') return this.corrected(chat, outcome);
    }
    // An archive result comes with its place in the archive's order; a carbon or a live message with none.
    const archiveOrder = !source.live && source.at !== null;
    const outcome = await this.options.history.record(incomingRecord(chat, { peer, direction, stanzaId, at, sentAt: source.sentAt }), { archiveOrder });
    if (outcome.added) this.link.emit({ type: 'message', message: outcome.message });
    return { message: outcome.added ? outcome.message : outcome.duplicateOf, firstReceived: outcome.added && direction === 'in' };
  }

  /**
   * What a correction that came (live, a carbon, from the archive) did to the message it names: it
   * applies only to the corrector's own; one naming someone else's is ignored, as XEP-0308 asks.
   */
  private corrected(chat: InboundChat, outcome: Exclude<CorrectionOutcome, { kind: 'not-found' }>): RecordedChat | null {
    if (outcome.kind === 'not-the-sender') {
      this.ignore(`a correction from ${chat.from} of a message they did not send`);
      return null;
    }
    if (outcome.kind === 'corrected') this.link.emit({ type: 'message', message: outcome.message });
    return { message: outcome.message, firstReceived: false };
  }

  /**
   * Where a live message goes: where it arrives, except that one the server held for the user goes
   * before the undelayed ones that overtook it as the stream began. ejabberd, for one, delivers a
   * message sent to the just-available user before it has flushed the offline storage. Delay
   * stamps are not compared with the local clock: another machine's time, often only to the second.
   */
  private placeLive(chat: InboundChat, on: SessionClient): string {
    const now = this.options.now();
    const { stream } = this;
    if (on !== stream.client) return now.toISOString();
    const peer = conversationWith(chat.from, chat) ?? chat.from;
    const firstLive = stream.firstLive.get(peer);
    if (chat.delayedFrom === null) {
      if (firstLive === undefined) stream.firstLive.set(peer, now.toISOString());
      return now.toISOString();
    }
    const heldDelivery = now.getTime() - stream.beganAt <= heldDeliveryWindowMs;
    return heldDelivery && firstLive !== undefined ? new Date(Date.parse(firstLive) - 1).toISOString() : now.toISOString();
  }

  private async receiptFromPeer({ from, receivedId, privateInRoom }: InboundReceipt): Promise<void> {
    // In turn with the server's acknowledgements, so that a receipt overtaking its acknowledgement still counts.
    this.acks = this.acks
      .then(async () => {
        await this.options.outbox.markAcked(receivedId);
        this.confirmed(requireBareJid(from), receivedId);
      })
      .catch((error: unknown) => this.link.reportError(error));
    await this.acks;
    await this.changeState(conversationWith(from, { privateInRoom }) ?? from, receivedId, 'delivered');
  }

  private ignore(reason: string): void {
    this.link.emit({ type: 'ignored', reason });
  }
}

function outgoingRecord(message: OutboxMessage): NewMessage {
  return { peer: message.to, direction: 'out', body: message.body, at: message.createdAt, sentAt: null, originId: message.originId, stanzaId: null, state: 'queued' };
}

function ownCorrection(message: OutboxMessage, replaces: string): Correction {
  return { peer: message.to, direction: 'out', replaces, body: message.body, at: message.createdAt };
}

function incomingRecord(
  chat: InboundChat,
  where: Pick<NewMessage, 'peer' | 'direction' | 'stanzaId' | 'at' | 'sentAt'>,
): NewMessage {
  return { ...where, body: chat.body, originId: chat.originId, senderId: chat.id ?? chat.originId, state: where.direction === 'in' ? 'received' : 'sent' };
}

/** Message ids are the sender's own: two senders may use the same one. */
function receiptKey(to: string, receivedId: string): string {
  return `${to} ${receivedId}`;
}

/** For a receipt Burrow sent, its key in `unacknowledgedReceipts`. */
function receiptKeyOf(stanza: Element): string | undefined {
  const receivedId = stanza.is('message') ? stanza.getChild('received', NS_RECEIPTS)?.attrs.id : undefined;
  return receivedId === undefined ? undefined : receiptKey(stanza.attrs.to ?? '', receivedId);
}

function originIdOf(stanza: Element): string | undefined {
  return stanza.is('message') ? stanza.getChild('origin-id', NS_STANZA_ID)?.attrs.id : undefined;
}
