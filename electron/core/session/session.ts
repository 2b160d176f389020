/**
 * The XMPP session of one account, over whichever connection won the race: it signs each new
 * connection in (resuming the stream where it can, also after a transport switch), watches the
 * path under it, and hands what arrives to its parts: messaging (messaging.ts), archive sync
 * (archive-sync.ts), roster and presence (roster-presence.ts). Reconnecting is the caller's: on
 * `offline` it runs the race again and calls `attach`.
 */
import { randomUUID } from 'node:crypto';

import { errorWords } from '../../contract/error-words.js';
import { ConnectionGoneError } from '../stream/errors.js';
import { ResumeUnansweredError } from '../stream/stream-management.js';
import type { ResumableState } from '../stream/stream-management.js';
import type { Credentials, Establishment } from '../stream/xmpp-stream.js';
import type { ArchivePosition, ArchivePositionStore } from './archive-position.js';
import { ArchiveSync } from './archive-sync.js';
import { Avatars } from './avatars.js';
import type { History, HistoryMessage } from './history.js';
import { Messaging } from './messaging.js';
import type { Outbox } from './outbox.js';
import { watchPath, whenConnectionLost } from './path-watch.js';
import { Rooms } from './rooms.js';
import { RosterPresence } from './roster-presence.js';
import type { SessionClient, SessionEvent, SessionLink } from './session-link.js';
import { isPepEvent } from './stanzas/avatar.js';
import { enableCarbons, unwrapCarbon } from './stanzas/carbons.js';
import { parseMessage } from './stanzas/chat.js';
import type { ChatState } from './stanzas/chat.js';
import { parseJid } from './stanzas/jid.js';
import { burrowCapabilities, capsElement, discoInfoResult } from './stanzas/capabilities.js';
import { NS_DISCO_INFO, NS_PING, NS_ROSTER, NS_STANZA_ERRORS } from './stanzas/namespaces.js';
import type { Availability } from './stanzas/presence.js';
import type { RosterItem } from './stanzas/roster.js';
import { xml } from './stanzas/xml.js';
import type { Element } from './stanzas/xml.js';
import { UploadSlots, type FileToShare, type UploadService, type UploadSlot } from './upload-slots.js';

export type { SessionClient, SessionEvent } from './session-link.js';

/**
 * How long a stream must have lived before what the server sends over it proves it carries the
 * session, and before its end by the server counts as the server going away: a server that breaks a
 * resume ends the stream at once (Prosody 0.12 over WebSocket, having re-sent its queue) or leaves it silent.
 */
const provenAfterMs = 1_000;

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
  /** How long the server may take to answer a request to resume the stream (20 s unless given). */
  resumeDeadlineMs?: number;
}

interface LiveStream {
  client: SessionClient;
  stopListening: () => void;
  /** It is a resumed stream. */
  resumed: boolean;
  /** The path has been silent while something waited for the server, and has not been heard since. */
  suspect: boolean;
  /** The state it was given to resume, still the next connection's to resume should this one not sign in. */
  given: ResumableState | null;
  /**
   * The last signed-in stream was ended by the server's side (the connection closed under it, as
   * when the server stops), not dropped here as a silent path is.
   */
  serverEnded: boolean;
  /** When it signed in, taking over the stream before it or replacing it (null: not yet). */
  signedInAt: number | null;
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
/** A request on the way to "online" waits this long at most: the server has just answered the sign-in. */
const signingInRequestTimeoutMs = 10_000;

export class Session {
  private readonly now: () => number;
  private stream: LiveStream | null = null;
  private online = false;
  /** See `resumedStreamReadNothing`. */
  private readNothing = false;
  /** Inbound stanzas are handled one at a time, in arrival order. */
  private inbound: Promise<void> = Promise.resolve();
  /** Recording that the last stream went away. */
  private goingOffline: Promise<void> = Promise.resolve();
  private readonly link: SessionLink;
  private readonly messaging: Messaging;
  private readonly rosterPresence: RosterPresence;
  private readonly archive: ArchiveSync;
  private readonly uploads: UploadSlots;
  private readonly rooms: Rooms;
  private readonly avatarExchange: Avatars;
  /**
   * Settles once a fresh stream's roster is in (or failed): the messages that come right behind it
   * (the archive's, those held offline) wait for it, so that a contact's is never taken for a stranger's.
   */
  private rosterArrived: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: SessionOptions,
    archivePosition: ArchivePosition,
  ) {
    const liveClient = () => (this.online ? (this.stream?.client ?? null) : null);
    this.link = {
      get client() {
        return liveClient();
      },
      request: (iq, timeoutMs) => this.request(iq, timeoutMs),
      received: () => this.inbound,
      emit: (event) => options.onEvent(event),
      reportError: (error) => this.reportError(error),
    };
    const now = options.now ?? (() => new Date());
    this.now = () => now().getTime();
    this.messaging = new Messaging(
      { ...options, now, liveArchiveId: (stanzaId) => this.archive.liveArchiveId(stanzaId), roomOpen: (room) => this.rooms.isOpen(room) },
      this.link,
    );
    this.rosterPresence = new RosterPresence(options.account, this.link, () => [capsElement(burrowCapabilities)]);
    this.uploads = new UploadSlots(options.account.slice(options.account.indexOf('@') + 1), this.link);
    // The user's archive and each room's are read alike: in pages, each query with its own id.
    const archiveReading = {
      account: options.account,
      newQueryId: options.newQueryId ?? randomUUID,
      now,
      pageSize: options.archivePageSize ?? 100,
      maxPages: options.archiveMaxPages ?? 100,
    };
    this.archive = new ArchiveSync({ ...archiveReading, archivePosition: options.archivePosition }, archivePosition, this.link, this.messaging);
    this.rooms = new Rooms({ ...archiveReading, history: options.history }, this.link, this.messaging);
    this.avatarExchange = new Avatars(this.link);
  }

  /** Also puts into the history any message the outbox kept but a crash kept out of the history. */
  static async open(options: SessionOptions): Promise<Session> {
    const session = new Session(options, await options.archivePosition.read());
    await session.messaging.recoverOutbox();
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
    this.messaging.hold(client);
    const previous = this.stream;
    // Sent on a resumed stream that lived a while and never acknowledged anything: should resuming it again
    // acknowledge none of it either, the server read nothing there.
    const unansweredOnResumed =
      previous?.resumed === true && previous.client.lastAckAt === null && this.livedAWhile(previous) ? previous.client.unacknowledged().length : 0;
    const resumable = this.resumableStream();
    const resume = options.resume === false ? null : resumable;
    previous?.stopListening();
    if (previous && this.online) {
      previous.client.drop();
      this.goingOffline = this.wentOffline({ announce: false });
      await this.goingOffline;
    }
    // Resumed or not, what came since the last stream went is checked against the archive: a
    // resumed stream's server may deliver what it held after newer messages (ejabberd does).
    if (previous?.signedInAt != null) await this.archive.openGap();
    const connectionLoss = whenConnectionLost(client);
    const stream: LiveStream = {
      client,
      stopListening: () => {},
      resumed: false,
      suspect: false,
      given: resumable,
      serverEnded: previous?.serverEnded ?? false,
      signedInAt: null,
      lost: connectionLoss.lost,
    };
    stream.stopListening = combine(
      this.listen(client),
      watchPath(client, {
        ...(this.options.keepalive ?? defaultKeepalive),
        suspectAfterMs: this.options.suspectAfterMs ?? defaultSuspectAfterMs,
        resumedGraceMs: this.options.resumedGraceMs ?? defaultResumedGraceMs,
        signedIn: () => stream.signedInAt !== null,
        justResumed: () => stream.resumed && client.lastAckAt === null,
        onSuspect: (suspect) => {
          stream.suspect = suspect;
          if (suspect) this.options.onEvent({ type: 'suspect' });
        },
      }),
      connectionLoss.stop,
    );
    this.stream = stream;

    let signedIn: Establishment;
    try {
      // Nothing goes out before the stream is bound (or resumed).
      signedIn = await client.authenticate(credentials, {
        resume,
        resumeDeadlineMs: options.resumeDeadlineMs ?? 20_000,
        resource: parseJid(resumable?.jid)?.resource ?? undefined,
      });
    } catch (error) {
      // A server that left the resume unanswered is not asked again: the next connection starts afresh.
      if (error instanceof ResumeUnansweredError) stream.given = null;
      throw error;
    }
    const { outcome } = signedIn;
    stream.signedInAt = this.now();
    const lastEndedByServer = stream.serverEnded;
    stream.serverEnded = false;
    this.online = true;
    stream.resumed = outcome === 'resumed';
    this.readNothing = outcome === 'resumed' && unansweredOnResumed > 0 && client.unacknowledged().length >= unansweredOnResumed;
    if (outcome === 'resumed') {
      this.options.onEvent({ type: 'status', status: 'resumed' });
      await this.messaging.releaseAfterResume(client);
      // A gap the last stream had not finished filling is filled over this one.
      this.archive.catchUp();
      this.rooms.resumed();
    } else {
      // The server ended the last stream and then no longer had it (it restarted): it may have lost what it had lately taken.
      if (resume && lastEndedByServer) await this.messaging.requeueUnconfirmed();
      // What the old stream never got acknowledged is still in the outbox and goes again from there.
      await this.startFresh(client, signedIn.managed);
    }
    return outcome;
  }

  /** Probes the path at once (a network change): if it stays silent, it turns suspect. */
  checkPath(): void {
    if (this.online) this.stream?.client.requestAck();
  }

  /**
   * The stream (live or just lost) was resumed, and the server has since acknowledged nothing on it,
   * nor kept it up a while sending over it: a busy server (ejabberd) may leave acknowledgements
   * seconds behind, but it re-sends its queue and asks for an ack right after taking the stream back.
   * (A server that sends but reads nothing shows itself when the stream is taken back again:
   * `resumedStreamReadNothing`.)
   */
  get resumedUnproven(): boolean {
    const stream = this.stream;
    if (stream?.resumed !== true || stream.client.lastAckAt !== null) return false;
    return !(this.livedAWhile(stream) && stream.client.heardSinceResumed > 0);
  }

  /**
   * The last attach resumed a stream that was itself resumed, and the server's count says it read
   * nothing sent on that stream since: Prosody 0.12 keeps writing to a BOSH stream taken over by TCP
   * but reads nothing from it, however often it is taken back.
   */
  get resumedStreamReadNothing(): boolean {
    return this.readNothing;
  }

  /** The server has answered an ack request on the current (or just lost) connection: it carried the session both ways. */
  get streamProven(): boolean {
    return this.stream != null && this.stream.signedInAt !== null && this.stream.client.lastAckAt !== null;
  }

  /** The live path is silent while something waits for the server. */
  get pathSuspect(): boolean {
    return this.online && this.stream?.suspect === true;
  }

  /** Signed in over a stream that has not dropped since. */
  get isOnline(): boolean {
    return this.online;
  }

  /** Stored on disk first, then sent when a stream is up (to a room the user is in: once in it); it is in the history as `queued`. */
  send(to: string, body: string): Promise<HistoryMessage> {
    const { peer, room } = this.rooms.addressOf(to);
    return this.messaging.send(peer, body, { room });
  }

  /** Group chat (XEP-0045): the rooms the user is in, and entering, leaving, finding and making them. */
  get groupChat(): Pick<Rooms, 'enter' | 'leave' | 'remember' | 'has' | 'list' | 'occupants' | 'setSubject' | 'invite' | 'findService' | 'listRooms'> {
    return this.rooms;
  }

  /** Avatars (XEP-0084, vCard-temp): fetching what a contact announced, publishing the user's. */
  get avatars(): Pick<Avatars, 'fetch' | 'publish'> {
    return this.avatarExchange;
  }

  /** Corrects one of the user's own messages (XEP-0308); null when `id` is none of theirs. */
  correct(to: string, id: string, body: string): Promise<HistoryMessage | null> {
    return this.messaging.correct(to, id, body);
  }

  /** A file's address (where it was uploaded) as a message: its body, and an XEP-0066 link to it; through the outbox like any message. */
  shareFile(to: string, url: string): Promise<HistoryMessage> {
    const { peer, room } = this.rooms.addressOf(to);
    return this.messaging.send(peer, url, { oob: true, room });
  }

  /** The server's HTTP File Upload service (XEP-0363), or null when it has none; needs the stream up. */
  uploadService(): Promise<UploadService | null> {
    return this.uploads.service();
  }

  /** Rejects with a SlotRefusedError when the service will not take the file. */
  uploadSlot(file: FileToShare): Promise<UploadSlot> {
    return this.uploads.slot(file);
  }

  retry(peer: string, originId: string): Promise<void> {
    return this.messaging.retry(peer, originId);
  }

  sendChatState(to: string, state: ChatState): Promise<void> {
    return this.messaging.sendChatState(to, state);
  }

  setPresence(availability: Availability, status?: string): Promise<void> {
    return this.rosterPresence.setPresence(availability, status);
  }

  /** Adds the contact and asks to see their presence. */
  addContact(jid: string, name?: string, groups?: string[]): Promise<void> {
    return this.rosterPresence.addContact(jid, name, groups);
  }

  renameContact(jid: string, name: string): Promise<void> {
    return this.rosterPresence.renameContact(jid, name);
  }

  removeContact(jid: string): Promise<void> {
    return this.rosterPresence.removeContact(jid);
  }

  answerSubscriptionRequest(jid: string, accept: boolean): Promise<void> {
    return this.rosterPresence.answerSubscriptionRequest(jid, accept);
  }

  rosterItems(): RosterItem[] {
    return this.rosterPresence.items();
  }

  /** Resolves once everything received, acknowledged or lost so far is recorded. */
  async settled(): Promise<void> {
    for (;;) {
      const pending = [this.inbound, this.messaging.acknowledgementsRecorded(), this.messaging.receiptsSent(), this.goingOffline, this.archive.filled()];
      await Promise.all(pending);
      const now = [this.inbound, this.messaging.acknowledgementsRecorded(), this.messaging.receiptsSent(), this.goingOffline, this.archive.filled()];
      if (pending.every((promise, index) => promise === now[index])) return;
    }
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

  /** Signed in at least `provenAfterMs` ago. */
  private livedAWhile(stream: LiveStream): boolean {
    return stream.signedInAt !== null && this.now() - stream.signedInAt >= provenAfterMs;
  }

  private request(iq: Element, timeoutMs?: number): Promise<Element> {
    if (!this.stream || !this.online) return Promise.reject(new Error('the account is not connected'));
    const { client, lost } = this.stream;
    return Promise.race([client.request(iq, timeoutMs), lost]);
  }

  /**
   * The state to resume the current stream with on a new connection, if it can be. (Whether a
   * server can be trusted with a resume between two transports is the account's to learn.)
   */
  private resumableStream(): ResumableState | null {
    const previous = this.stream;
    if (!previous) return null;
    if (previous.signedInAt === null) return previous.given;
    return previous.client.exportState();
  }

  private listen(client: SessionClient): () => void {
    const onStanza = (stanza: Element) => {
      this.inbound = this.inbound
        .then(() => this.handleStanza(stanza, client))
        .catch((error: unknown) => {
          // An answer (a receipt, an iq result) that found its connection gone: the next stream carries what matters.
          if (!(error instanceof ConnectionGoneError)) this.reportError(error);
        });
    };
    const onAck = (stanza: Element) => this.messaging.acknowledged(stanza);
    const onDisconnect = () => {
      const stream = this.stream;
      // Not a stream the server ends right after taking it back (Prosody 0.12 over WebSocket): that one held nothing new.
      if (stream?.client === client && stream.signedInAt !== null) stream.serverEnded = !client.endedHere && this.livedAWhile(stream);
      this.goingOffline = this.wentOffline({ announce: true }).catch((error: unknown) => this.reportError(error));
    };
    client.on('stanza', onStanza);
    client.on('disconnect', onDisconnect);
    client.on('ack', onAck);
    return () => {
      client.off('stanza', onStanza);
      client.off('disconnect', onDisconnect);
      client.off('ack', onAck);
    };
  }

  /**
   * One flight right behind `<enable/>`: carbons, the roster, the initial presence (which need not
   * wait for the roster: presences that come first are held until it is in) and the archive query.
   * Messages wait for the server's answer to `<enable/>`, which says how their delivery is confirmed.
   */
  private async startFresh(client: SessionClient, managed: Promise<boolean>): Promise<void> {
    // The user is in no room on a fresh stream: their messages wait until each is entered again.
    this.rooms.startedAfresh();
    this.messaging.startedAfresh();
    const carbons = this.request(enableCarbons(), signingInRequestTimeoutMs).then(
      () => true,
      () => false,
    );
    const rosterFailure = this.rosterPresence.fetch(signingInRequestTimeoutMs).then(
      () => null,
      (error: unknown) => ({ error }),
    );
    this.rosterArrived = rosterFailure;
    await this.archive.openGap();
    await client.send(this.rosterPresence.initialPresence());
    this.rooms.enterAll();
    // The session is usable once the roster is in; the archive fills the gap behind it, page by page.
    this.archive.catchUp();
    const failed = await rosterFailure;
    if (failed) throw failed.error;
    if (!(await carbons)) this.options.onEvent({ type: 'ignored', reason: 'the server does not offer carbons' });
    this.options.onEvent({ type: 'status', status: 'online' });
    await managed;
    this.messaging.release(client);
    await this.messaging.resendReceipts(client);
    // A run that ends without its stream going (the app killed) still leaves where the next asks the archive from.
    await this.archive.savePosition();
  }

  private async handleStanza(stanza: Element, replyOn: SessionClient): Promise<void> {
    if (stanza.is('message')) await this.handleMessage(stanza, replyOn);
    else if (stanza.is('presence') && !this.rooms.handlePresence(stanza)) {
      this.rosterPresence.handlePresence(stanza);
      // Like the presence itself, its avatar hash is told once the roster says who is a contact.
      void this.rosterArrived.then(() => this.avatarExchange.handlePresence(stanza));
    }
    else if (stanza.is('iq')) await this.handleIq(stanza, replyOn);
  }

  private async handleMessage(stanza: Element, replyOn: SessionClient): Promise<void> {
    const { account } = this.options;
    // The roster's answer is not queued here (requests are answered as they come), so this cannot wait on itself.
    await this.rosterArrived;
    if (isPepEvent(stanza)) return this.avatarExchange.handleEvent(stanza);
    if (await this.rooms.handleMessage(stanza)) return;
    if (await this.archive.handleResult(stanza, replyOn)) return;
    const carbon = unwrapCarbon(stanza, account);
    if (carbon?.kind === 'ignored') return this.options.onEvent({ type: 'ignored', reason: carbon.reason });
    if (carbon) {
      // A copy of what another of the user's devices received or sent: any receipt is that device's to send.
      await this.messaging.recordCopy(carbon.message, { stanzaId: null, at: null, sentAt: null });
      return;
    }
    await this.messaging.handleLive(parseMessage(stanza, account), replyOn);
  }

  /** Every iq get or set gets an answer (RFC 6120 §8.2.3): ping, disco#info, and for the ones Burrow does not serve, service-unavailable. */
  private async handleIq(iq: Element, replyOn: SessionClient): Promise<void> {
    const { type, id, from } = iq.attrs;
    if (type !== 'get' && type !== 'set') return;
    const reply = async (element?: Element) => void (await replyOn.send(xml('iq', { type: element ? 'error' : 'result', id, to: from }, element)));
    if (iq.getChild('query', NS_ROSTER)) return this.rosterPresence.handlePush(iq, () => reply());
    if (type === 'get' && iq.getChild('ping', NS_PING)) return reply();
    if (type === 'get' && iq.getChild('query', NS_DISCO_INFO)) {
      const answer = discoInfoResult(iq, burrowCapabilities);
      return answer ? void (await replyOn.send(answer)) : reply(xml('error', { type: 'cancel' }, xml('item-not-found', { xmlns: NS_STANZA_ERRORS })));
    }
    await reply(xml('error', { type: 'cancel' }, xml('service-unavailable', { xmlns: NS_STANZA_ERRORS })));
  }

  /** `announce`: say so (the caller reconnects); not when a new connection is already taking over. */
  private async wentOffline({ announce }: { announce: boolean }): Promise<void> {
    if (!this.online) return;
    this.online = false;
    if (announce) this.options.onEvent({ type: 'status', status: 'offline' });
    // What the stream delivered before it went is recorded first: a gap starts after the last of it.
    await this.inbound;
    // A receipt not sent on the stream that went is kept for the next one, which must know of it.
    await this.messaging.receiptsSent();
    await this.archive.savePosition();
  }

  private reportError(error: unknown): void {
    this.options.onEvent({ type: 'error', message: errorWords(error) });
  }
}

function combine(...stops: (() => void)[]): () => void {
  return () => stops.forEach((stop) => stop());
}
