/**
 * One community's account: connects it through the race, signs the session in over the winner,
 * keeps it connected (resuming the stream over whatever path wins next) and tells the UI every
 * step. Where the connection stands, and when to try again, is decided by the lifecycle's state
 * machine alone (lifecycle.ts); this class does what its transitions ask.
 */
import type {
  AccountLifecycle,
  AccountView,
  AttemptView,
  ConversationView,
  HistoryPageView,
  MessageRequestsView,
  MessageView,
  OwnPresence,
  RoomDirectoryView,
  OccupantView,
  RoomView,
  RosterView,
  SearchResultView,
} from '../../contract/contract.js';
import { join } from 'node:path';

import { letGoWords } from '../../contract/request-words.js';
import { HandlerError } from '../../contract/validate.js';
import { errorWords } from '../../contract/error-words.js';
import { attemptView } from '../connection/attempt-view.js';
import { communityConnection, type CommunityConnectionDeps } from '../community-connection.js';
import { parseCommunityAddress } from '../connection/address.js';
import type { XmppPath } from '../connection/attempt.js';
import { attemptPath, type Candidate } from '../connection/candidate.js';
import type { TransferRoute } from '../connection/http-transfer.js';
import { connectToCommunity } from '../connection/connect.js';
import type { AttemptRecord, RaceResult } from '../connection/race.js';
import { refusalCause, signInFailureCause } from '../connection/sign-in-failure.js';
import type { WinnerMemory } from '../connection/winners.js';
import { tlsTrustFor } from '../connection/trust.js';
import type { EventHub } from '../events.js';
import type { HistoryMessage, PagePlace } from '../session/history.js';
import { HistoryInUse } from '../session/history-database.js';
import { Session, type SessionEvent, type SessionOptions } from '../session/session.js';
import { ResumeUnansweredError } from '../stream/stream-management.js';
import { reportFaultToConsole, type ReportFault } from '../session/journal.js';
import { bareJid, requireBareJid } from '../session/stanzas/jid.js';
import type { StandingNotice } from '../notices.js';
import { AccountAvatars } from './account-avatars.js';
import { AccountData, accountFolder } from './account-data.js';
import { AccountRooms } from './account-rooms.js';
import { coalesced } from './coalesced.js';
import { ContactBook } from './contact-book.js';
import { FileTransfers } from './file-transfers.js';
import { raceFailureCause } from './failure-cause.js';
import { LetGo } from './let-go.js';
import { initialLifecycle, transition, type LifecycleEvent } from './lifecycle.js';
import { retryPolicy, type RetryOptions, type RetryPolicy } from './retry-policy.js';
import type { ServerQuirks } from './server-quirks.js';

export interface AccountDeps {
  communityId: string;
  dataDir: string;
  connection: CommunityConnectionDeps;
  events: EventHub;
  winners: WinnerMemory;
  /** What servers were learnt to do (resumes they break, how slowly they answer one), shared by the accounts and kept on disk. */
  quirks: ServerQuirks;
  /** The current network's fingerprint, for remembering winners per network. */
  networkFingerprint: (proxyConfiguration: string) => Promise<string>;
  backoff?: RetryOptions;
  keepalive?: SessionOptions['keepalive'];
  /** Where a fault in the account's files is told (the notice board). */
  reportFault?: ReportFault;
  /** Where what a flood made Burrow let go of is told, kept up to date (the notice board). */
  standingNotice?: StandingNotice;
}

interface Identity {
  /** The bare JID the history and outbox belong to. */
  jid: string;
  /** Its domain: the server whose quirks are learnt. */
  server: string;
  username: string;
  password: string;
}

/**
 * How long a resume may go unanswered before the path starts afresh: twice the slowest answer
 * the server has given lately, at least 4 s (a server never seen slow, or one that leaves a resume
 * unanswered as Prosody 0.12 does over BOSH, costs seconds) and at most the race's deadline.
 */
const resumePatience = { floorMs: 4_000, ceilingMs: 20_000 };

/** What changed in the roster and the message requests is told the UI at most this often: a flood costs a few batches a second, a single change shows at once. */
const viewUpdateMs = 250;

export class Account {
  private lifecycle: AccountLifecycle = initialLifecycle;
  private displayName: string;
  private jid: string | null = null;
  private attempts: AttemptView[] = [];
  private presence: OwnPresence = { availability: 'available', status: '' };
  private catchingUp: AccountView['catchingUp'] = null;
  /**
   * Changes to messages are told one after another, in the order they happened: a new message
   * waits on a disk write for its conversation, and a state that overtook it would be undone by it.
   */
  private messageChanges: Promise<void> = Promise.resolve();
  private readonly letGo = new LetGo((counts) => {
    const tell = this.deps.standingNotice ?? ((_key, level, message) => reportFaultToConsole(level, message));
    tell(`let-go ${this.deps.communityId}`, 'warning', letGoWords(this.displayName, counts));
  });
  private readonly contacts = new ContactBook(this.letGo);
  private readonly emitRoster = coalesced(() => this.tellRosterChanges(), viewUpdateMs);
  private readonly emitMessageRequests = coalesced(() => void this.tellMessageRequestChanges(), viewUpdateMs);
  private readonly policy: RetryPolicy;
  private data: AccountData | null = null;
  private session: Session | null = null;
  private roomBook: AccountRooms | null = null;
  private path: XmppPath | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Counts the races started; only the latest one's outcome is fed to the lifecycle. */
  private generation = 0;
  private lastRace: Promise<void> = Promise.resolve();
  /** A race beside a suspect path while its stream stays live: one at a time. */
  private besideRace: Promise<void> | null = null;
  /** The transport the live stream was last set up over ("directtls", "websocket"…). */
  private streamTransport: string | null = null;
  /** The server and transports ("from→to") of the last resume, while its stream lives. */
  private lastResume: { server: string; transition: string } | null = null;
  /** The server broke the stream it last took back: whatever the next path, that stream is not asked for again. */
  private resumedStreamBroken = false;
  /** The way the live path went, for files to go the same way. */
  private transferRoute: TransferRoute | null = null;
  readonly files: FileTransfers;
  readonly avatars: AccountAvatars;

  constructor(
    private readonly deps: AccountDeps,
    displayName: string,
  ) {
    this.displayName = displayName;
    this.policy = retryPolicy(deps.backoff);
    this.files = new FileTransfers({
      communityId: deps.communityId,
      folder: join(deps.dataDir, 'transfers', encodeURIComponent(deps.communityId)),
      liveSession: () => this.live(),
      route: () => {
        if (!this.transferRoute) throw new HandlerError('failed', `${this.displayName} is not connected.`);
        return this.transferRoute;
      },
      onProgress: (progress) => deps.events.emit('files:progress', progress),
    });
    this.avatars = new AccountAvatars({
      communityId: deps.communityId,
      events: deps.events,
      session: () => this.live().avatars,
      isContact: (jid) => this.contacts.has(jid),
      // A refused image is a notice; a fetch that failed is only logged, tried again on the next announcement.
      reportFault: (level, message) => (level === 'info' ? console.error(`Burrow (${this.jid ?? deps.communityId}): ${message}`) : (deps.reportFault ?? reportFaultToConsole)(level, message)),
    });
  }

  get state(): AccountView {
    const { communityId } = this.deps;
    const { displayName, jid, lifecycle, attempts, presence, catchingUp } = this;
    return { communityId, displayName, jid, lifecycle, attempts, presence, catchingUp };
  }

  /** Connect, Retry now, Try again: at once, unless a try is under way. Resolves when the latest race is over. */
  connect(): Promise<void> {
    if (this.presence.availability === 'offline') this.presence = { ...this.presence, availability: 'available' };
    this.dispatch({ type: 'connect' });
    return this.lastRace;
  }

  /** Signs out; the account stays offline until `connect`. The outbox keeps what is unsent. */
  async disconnect(): Promise<void> {
    this.dispatch({ type: 'sign-out' });
    await this.session?.signOut();
    this.path?.close();
    this.path = null;
  }

  /** The settings changed: a new display name, and a new try unless the account is online or signed out. */
  settingsChanged(displayName: string): void {
    this.displayName = displayName;
    this.emitState();
    this.dispatch({ type: 'settings-changed' });
  }

  /** A new network: a try under way starts again, and a live path is checked at once. */
  networkChanged(): void {
    if (this.lifecycle.state === 'online') this.session?.checkPath();
    this.dispatch({ type: 'network-changed' });
  }

  async setPresence(presence: OwnPresence): Promise<void> {
    this.presence = presence;
    this.emitState();
    if (presence.availability === 'offline') return this.disconnect();
    if (this.lifecycle.state === 'online') await this.session?.setPresence(presence.availability, presence.status || undefined);
    else if (this.lifecycle.state === 'offline') await this.connect();
  }

  roster(): RosterView {
    return this.contacts.view(this.deps.communityId);
  }

  async addContact(jid: string, name?: string, group?: string): Promise<void> {
    await this.live().addContact(jid, name, group ? [group] : undefined);
  }

  async renameContact(jid: string, name: string): Promise<void> {
    await this.live().renameContact(jid, name);
  }

  async removeContact(jid: string): Promise<void> {
    await this.live().removeContact(jid);
  }

  /** Accepting also asks to see their presence, unless already asked: people add each other. */
  async answerSubscription(jid: string, accept: boolean): Promise<void> {
    const session = this.live();
    await session.answerSubscriptionRequest(jid, accept);
    this.contacts.answered(jid);
    this.emitRoster();
    if (accept && !this.askedToSee(jid)) await session.addContact(jid, this.contacts.contact(jid)?.name ?? undefined);
  }

  async messageRequests(): Promise<MessageRequestsView> {
    return this.requireData().requests.view(this.deps.communityId, (message) => this.messageView(message));
  }

  /** Accepted, the request becomes a conversation; dismissed, it goes with its messages. */
  async answerMessageRequest(jid: string, accept: boolean): Promise<void> {
    const data = this.requireData();
    const peer = requireBareJid(jid);
    if (!(accept ? await data.requests.accept(peer) : await data.requests.dismiss(peer))) return;
    this.emitMessageRequests();
    if (accept) await this.conversationChanged(data, peer);
  }

  async conversations(): Promise<ConversationView[]> {
    const data = this.requireData();
    return Promise.all(data.index.peers().map((peer) => this.conversation(data, peer)));
  }

  async history(peer: string, place: PagePlace = {}, limit?: number): Promise<HistoryPageView> {
    const { messages, olderCursor, newerCursor } = await this.requireData().history.page(peer, place, limit);
    return { messages: messages.map((message) => this.messageView(message)), olderCursor, newerCursor };
  }

  /** An account not set up yet has nothing to find. */
  async search(query: string, limit: number): Promise<SearchResultView[]> {
    return (this.data?.search(query, limit) ?? [])
      .map(({ message, matches }) => ({ communityId: this.deps.communityId, peer: message.peer, message: this.messageView(message), matches }));
  }

  /** Uploads a file given through `files` and sends its address as a message. */
  async sendFile(transferId: string): Promise<MessageView> {
    return this.messageView(await this.files.send(transferId));
  }

  async send(peer: string, body: string): Promise<MessageView> {
    const session = this.requireSession();
    return this.messageView(await session.send(peer, body));
  }

  async correct(peer: string, id: string, body: string): Promise<MessageView> {
    const corrected = await this.requireSession().correct(peer, id, body);
    if (!corrected) throw new HandlerError('failed', 'Only a message of your own can be corrected.');
    return this.messageView(corrected);
  }

  async retry(peer: string, id: string): Promise<void> {
    await this.requireSession().retry(peer, id);
  }

  async markRead(peer: string): Promise<void> {
    const data = this.requireData();
    // Reading a request does not make it a conversation: accepting it does.
    if (data.requests.holds(requireBareJid(peer))) return;
    const last = await data.history.last(peer);
    if (!last) return;
    await data.index.markRead(peer, last.at);
    await this.conversationChanged(data, peer);
  }

  rooms(): RoomView[] {
    return this.roomBook?.list() ?? [];
  }

  joinRoom(room: string, nick: string): Promise<RoomView> {
    return this.requireRooms().join(room, nick);
  }

  createRoom(name: string, nick: string): Promise<RoomView> {
    return this.requireRooms().create(name, nick);
  }

  leaveRoom(room: string): Promise<void> {
    return this.requireRooms().leave(room);
  }

  browseRooms(): Promise<RoomDirectoryView> {
    return this.requireRooms().browse();
  }

  roomOccupants(room: string): OccupantView[] {
    return this.requireRooms().occupants(room);
  }

  inviteToRoom(room: string, jid: string, reason?: string): Promise<void> {
    return this.requireRooms().invite(room, jid, reason);
  }

  setRoomSubject(room: string, subject: string): Promise<void> {
    return this.requireRooms().setSubject(room, subject);
  }

  async setChatState(peer: string, state: Parameters<Session['sendChatState']>[1]): Promise<void> {
    if (this.lifecycle.state === 'online') await this.session?.sendChatState(peer, state);
  }

  async close(): Promise<void> {
    await this.disconnect();
    await this.lastRace;
    await this.besideRace;
    this.letGo.flush();
    await this.files.close();
    await this.data?.close();
    this.data = null;
  }

  /** Feeds the lifecycle one event, and does what the transition asks. */
  private dispatch(event: LifecycleEvent): void {
    const { state, race } = transition(this.lifecycle, event, { now: Date.now(), policy: this.policy });
    // Signing out, like a new race, leaves the outcome of any race under way unheard.
    if (race || event.type === 'sign-out') this.generation += 1;
    if (state !== this.lifecycle) {
      this.lifecycle = state;
      this.emitState();
      this.scheduleRetry();
    }
    if (race) this.lastRace = this.race(this.generation);
  }

  /** An event from race number `generation`, heard only while it is the latest. */
  private fromRace(generation: number, event: LifecycleEvent): void {
    if (generation === this.generation) this.dispatch(event);
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const { lifecycle } = this;
    if (lifecycle.state !== 'reconnecting' || lifecycle.next.step !== 'waiting') return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.dispatch({ type: 'retry-timer-fired' });
    }, Math.max(0, lifecycle.next.retryAt - Date.now()));
  }

  private async race(generation: number): Promise<void> {
    try {
      await this.raceAndSignIn(generation);
    } catch (error) {
      this.fromRace(generation, { type: 'race-failed', cause: { kind: 'no-path', diagnosis: { host: '', tried: 0, elapsedMs: 0, obstacle: { kind: 'unclear', host: '', detail: errorWords(error) } } } });
    }
  }

  private async raceAndSignIn(generation: number): Promise<void> {
    const latest = () => generation === this.generation;
    let connection: Awaited<ReturnType<typeof communityConnection>>;
    try {
      connection = await communityConnection(this.deps.communityId, this.deps.connection);
    } catch (error) {
      return this.fromRace(generation, { type: 'race-failed', cause: { kind: 'settings-invalid', message: errorWords(error) } });
    }
    const identity = identityOf(connection);
    if (!identity) {
      if (latest()) this.jid = null;
      return this.fromRace(generation, { type: 'not-configured' });
    }
    const startedAt = Date.now();
    // The CAs are parsed before the account's files are opened: once the SQLite WebAssembly has
    // opened a database, building the TLS context took several times as long (0.2–0.5 s, not 40 ms).
    tlsTrustFor(identity.server, connection.request.trust);
    // The files are opened while the race runs: it needs none of them, and each took half a second
    // of a first sign-in.
    const opened = this.openSession(identity.jid).then(
      (session) => ({ session }),
      (error: unknown) => ({ error }),
    );
    const { result, network } = await this.raceFor(connection.request, latest);
    const outcome = await opened;
    if ('error' in outcome) {
      if (result.connected) result.connection.close();
      const { error } = outcome;
      if (!(error instanceof HistoryInUse)) throw error;
      const by = error.pid === undefined ? 'another-community' : 'another-burrow';
      return this.fromRace(generation, { type: 'race-failed', cause: { kind: 'account-in-use', jid: identity.jid, by, ...(error.pid === undefined ? {} : { pid: error.pid }) } });
    }
    const { session } = outcome;
    if (!result.connected) return this.fromRace(generation, { type: 'race-failed', cause: raceFailureCause(result.attempts, result.diagnosis) });
    const path = result.connection;
    if (!latest()) return path.close();
    this.dispatch({ type: 'race-won' });
    let how: 'resumed' | 'fresh';
    try {
      how = await this.signIn(session, path, result.winner.candidate.endpoint.transport, identity);
    } catch (error) {
      path.close();
      // What failed was this server's way with a resume, now learnt: the same path, afresh, may well work.
      if (error instanceof ResumeLearntBroken) return this.fromRace(generation, { type: 'sign-in-failed', cause: signInFailureCause(error), learnt: true });
      // The path carried XMPP but not this account's session: no head start for it next time.
      this.deps.winners.forget(this.deps.communityId, network);
      return this.fromRace(generation, { type: 'sign-in-failed', cause: signInFailureCause(error) });
    }
    if (!latest()) {
      // Signed out while signing in.
      await session.signOut();
      return path.close();
    }
    this.path?.close();
    this.path = path;
    this.transferRoute = transferRouteOf(connection.request, result.winner.candidate);
    this.dispatch({ type: 'signed-in', path: attemptPath(result.winner.candidate), resumed: how === 'resumed', connectMs: Date.now() - startedAt });
    const { presence } = this;
    if (presence.availability !== 'available' || presence.status) await session.setPresence(presence.availability, presence.status || undefined);
  }

  /** The race for `request`, its attempts shown while `shown()` holds; and the network it ran on. */
  private async raceFor(request: CommunityRequest, shown: () => boolean): Promise<{ result: RaceResult<XmppPath>; network: string }> {
    if (shown()) this.setAttempts([]);
    const records = new Map<number, AttemptRecord>();
    const network = await this.deps.networkFingerprint(`${request.method}|${request.proxy?.host ?? ''}:${request.proxy?.port ?? ''}`);
    const { result } = await connectToCommunity({
      ...request,
      memory: { winners: this.deps.winners, community: this.deps.communityId, network },
      onEvent: ({ record }) => {
        records.set(record.attempt, record);
        if (shown()) this.setAttempts([...records.values()].map(attemptView));
      },
    });
    if (shown()) this.setAttempts(result.attempts.map(attemptView));
    return { result, network };
  }

  /**
   * Signs the session in over `path`, resuming the stream unless this server is known to break a
   * resume between these transports; learns when it does.
   */
  private async signIn(session: Session, path: XmppPath, transport: string, identity: Identity): Promise<'resumed' | 'fresh'> {
    const switched = { server: identity.server, transition: `${this.streamTransport ?? transport}→${transport}` };
    const credentials = { username: identity.username, password: identity.password };
    const { quirks } = this.deps;
    const signingInAt = Date.now();
    const earlierResume = this.lastResume;
    let how: 'resumed' | 'fresh';
    try {
      const resume = !this.resumedStreamBroken && !quirks.breaksResume(switched.server, switched.transition);
      how = await session.attach(path.client, credentials, { resume, resumeDeadlineMs: quirks.resumePatienceMs(switched.server, resumePatience) });
    } catch (error) {
      if (!(error instanceof ResumeUnansweredError)) throw error;
      quirks.learnBrokenResume(switched.server, switched.transition);
      throw new ResumeLearntBroken(error.message);
    }
    if (how === 'resumed') quirks.resumeAnswered(switched.server, Date.now() - signingInAt);
    if (how === 'resumed' && session.resumedStreamReadNothing) {
      // Not this resume but the one before it broke the stream, for good: the next sign-in starts afresh.
      this.lastResume = null;
      this.resumedStreamBroken = true;
      if (earlierResume) quirks.learnBrokenResume(earlierResume.server, earlierResume.transition);
      throw new ResumeLearntBroken('the server read nothing sent on the stream it had resumed');
    }
    this.lastResume = how === 'resumed' ? switched : null;
    this.resumedStreamBroken = false;
    // The server may end a stream right after taking it back (Prosody 0.12 does when a TCP session resumes over WebSocket).
    if (!session.isOnline) {
      if (this.learnFromLostStream()) throw new ResumeLearntBroken('the server dropped the stream it had just resumed');
      throw new Error('the connection was lost while signing in');
    }
    this.streamTransport = transport;
    return how;
  }

  /**
   * The live path turned suspect: race the paths beside it while its stream stays. If a path
   * carries XMPP while the old one is still silent, it takes the stream over; if the old one
   * speaks again first, the new path is let go. A race that finds nothing leaves the old path to
   * its keepalive.
   */
  private raceBeside(): void {
    if (this.besideRace || this.lifecycle.state !== 'online') return;
    const generation = this.generation;
    this.besideRace = this.switchPath(generation)
      .catch((error: unknown) => console.error(`Burrow (${this.jid ?? this.deps.communityId}): a path raced beside a silent one failed:`, error))
      .finally(() => (this.besideRace = null));
  }

  private async switchPath(generation: number): Promise<void> {
    const session = this.session;
    const connection = await communityConnection(this.deps.communityId, this.deps.connection);
    const identity = identityOf(connection);
    const stillOnline = () => generation === this.generation && this.lifecycle.state === 'online';
    if (!session || !identity || !stillOnline()) return;
    const { result } = await this.raceFor(connection.request, () => false);
    if (!result.connected) return;
    const path = result.connection;
    if (!stillOnline() || !session.pathSuspect) return path.close();
    // A stream just resumed that stayed silent past its grace: that resume does not work on this server.
    this.learnFromLostStream();
    let how: 'resumed' | 'fresh';
    try {
      how = await this.signIn(session, path, result.winner.candidate.endpoint.transport, identity);
    } catch (error) {
      path.close();
      // The old path was let go for this one: the connection is lost, and the lifecycle reconnects.
      if (generation === this.generation) this.wentOffline(error instanceof ResumeLearntBroken);
      return;
    }
    this.path?.close();
    this.path = path;
    this.transferRoute = transferRouteOf(connection.request, result.winner.candidate);
    this.dispatch({ type: 'path-switched', path: attemptPath(result.winner.candidate), resumed: how === 'resumed' });
  }

  private async openSession(jid: string): Promise<Session> {
    if (this.session && this.data?.jid === jid) return this.session;
    await this.session?.signOut();
    await this.data?.close();
    // Let go before the next is opened: that may fail (its history in use), leaving none.
    this.session = null;
    this.data = null;
    const { reportFault } = this.deps;
    // A room is no stranger: its messages go to its conversation, never into a message request.
    // A room the user is in, and its occupants writing privately through it, are no strangers.
    const isContact = (peer: string) => this.contacts.has(peer) || this.roomBook?.has(bareJid(peer) ?? peer) === true;
    this.data = await AccountData.open(this.deps.dataDir, jid, { ...(reportFault ? { reportFault } : {}), isContact, letGo: this.letGo });
    this.roomBook = new AccountRooms({
      communityId: this.deps.communityId,
      events: this.deps.events,
      store: this.data.rooms,
      live: () => this.live(),
      session: () => this.requireSession(),
    });
    const { outbox, history, archivePosition } = this.data;
    this.session = await Session.open({
      account: jid,
      outbox,
      history,
      archivePosition,
      onEvent: (event) => void this.onSessionEvent(event).catch((error: unknown) => console.error(`Burrow (${jid}):`, error)),
      ...(this.deps.keepalive ? { keepalive: this.deps.keepalive } : {}),
    });
    this.roomBook.rememberIn(this.session);
    this.avatars.open(accountFolder(this.deps.dataDir, jid), jid);
    this.jid = jid;
    this.emitState();
    return this.session;
  }

  private async onSessionEvent(event: SessionEvent): Promise<void> {
    switch (event.type) {
      case 'status':
        if (event.status === 'offline') return this.wentOffline();
        if (event.status === 'online') {
          this.contacts.startedAfresh();
          return;
        }
        // The server does not send presence again on a resumed stream: what was known still holds.
        this.contacts.resumePresence();
        return this.emitRoster();
      case 'roster':
        this.contacts.setRoster(event.items);
        this.emitRoster();
        if (await this.data?.requests.acceptContacts()) this.emitMessageRequests();
        return;
      case 'presence':
        if (this.contacts.presence(event.from, event)) this.emitRoster();
        return;
      case 'subscription':
        if (event.request === 'subscribe' && this.askedToSee(event.from)) {
          // They answer our request with their own: "add each other" needs no second question.
          await this.session?.answerSubscriptionRequest(event.from, true);
          return;
        }
        if (this.contacts.subscription(event.from, event.request)) this.emitRoster();
        return;
      case 'message':
        return this.inTurn(() => this.messageChanged(event.message));
      case 'message-state':
        return this.inTurn(() => this.messageChanged(event.message, { moved: true }));
      case 'chat-state':
        this.deps.events.emit('chat:peerState', { communityId: this.deps.communityId, peer: event.peer, state: event.state });
        return;
      case 'error':
        console.error(`Burrow (${this.jid ?? this.deps.communityId}): ${event.message}`);
        return;
      case 'avatar-announced':
        return this.avatars.announced(event);
      case 'ignored':
        return;
      case 'suspect':
        return this.raceBeside();
      case 'catching-up':
        this.catchingUp = event.fetched === null ? null : { fetched: event.fetched };
        return this.emitState();
      case 'room':
      case 'room-subject':
      case 'room-occupant':
      case 'room-occupant-left':
      case 'room-invitation':
        return this.roomBook?.handle(event);
    }
  }

  /** We see their presence, or have asked to. */
  private askedToSee(jid: string): boolean {
    const contact = this.contacts.contact(jid);
    return contact !== undefined && (contact.askPending || contact.subscription === 'to' || contact.subscription === 'both');
  }

  /**
   * A resumed stream lost before the server acknowledged anything on it: that resume does not work
   * on this server. Returns whether that was learnt now.
   */
  private learnFromLostStream(): boolean {
    const { lastResume } = this;
    if (lastResume === null || this.session?.resumedUnproven !== true) return false;
    this.lastResume = null;
    // The next path may be another transport than the one this resume came over (a transition not
    // learnt yet), but the server's copy of the stream is what failed: the next sign-in starts afresh.
    this.resumedStreamBroken = true;
    return this.deps.quirks.learnBrokenResume(lastResume.server, lastResume.transition);
  }

  /**
   * The stream dropped (the keepalive found the path silent, the server went away, or it sent more
   * than Burrow accepts or XML that is not well-formed); `learnt`:
   * on a resume now known not to work on this server.
   */
  private wentOffline(learnt = false): void {
    const learntNow = this.learnFromLostStream();
    this.contacts.suspendPresence();
    this.emitRoster();
    const refusal = this.path?.client.refusal;
    this.dispatch({
      type: 'stream-lost',
      proven: this.session?.streamProven === true,
      learnt: learnt || learntNow,
      ...(refusal ? { cause: refusalCause(refusal) } : {}),
    });
  }

  private inTurn(change: () => Promise<void>): Promise<void> {
    const turn = this.messageChanges.then(change);
    this.messageChanges = turn.catch(() => {});
    return turn;
  }

  /**
   * A stranger's message is shown in their request, without a notification; any other in its
   * conversation. `moved`: only its state changed, which changes its conversation (the unread count,
   * the newest message) only when it is the newest.
   */
  private async messageChanged(message: HistoryMessage, { moved = false } = {}): Promise<void> {
    const data = this.requireData();
    const placement = await data.requests.place(message);
    if (placement !== 'conversation') this.emitMessageRequests();
    if (placement === 'request') return;
    await data.index.add(message.peer);
    this.deps.events.emit('chat:message', this.messageView(message));
    if (moved && placement === 'conversation' && (await data.history.last(message.peer))?.id !== message.id) return;
    await this.conversationChanged(data, message.peer);
  }

  private async conversationChanged(data: AccountData, peer: string): Promise<void> {
    this.deps.events.emit('chat:conversation', await this.conversation(data, peer));
  }

  private tellRosterChanges(): void {
    const delta = this.contacts.takeDelta(this.deps.communityId);
    if (delta) this.deps.events.emit('roster:delta', delta);
  }

  private async tellMessageRequestChanges(): Promise<void> {
    try {
      const delta = await this.data?.requests.takeDelta(this.deps.communityId, (message) => this.messageView(message));
      if (delta) this.deps.events.emit('messageRequests:delta', delta);
    } catch (error) {
      console.error(`Burrow (${this.jid ?? this.deps.communityId}): the message requests could not be told:`, error);
    }
  }

  private async conversation(data: AccountData, peer: string): Promise<ConversationView> {
    const last = await data.history.last(peer);
    return { communityId: this.deps.communityId, peer, unread: data.index.unread(peer), last: last ? this.messageView(last) : null };
  }

  private messageView({ peer, id, direction, body, at, state, edited, correctionFailure, sender, mention }: HistoryMessage): MessageView {
    return {
      communityId: this.deps.communityId,
      peer,
      id,
      direction,
      body,
      at,
      state,
      edited,
      ...(correctionFailure === undefined ? {} : { editFailed: { condition: correctionFailure.slice(0, 100) } }),
      ...(sender === undefined ? {} : { sender }),
      ...(mention ? { mention } : {}),
    };
  }

  private emitState(): void {
    this.deps.events.emit('account:changed', this.state);
  }

  private setAttempts(attempts: AttemptView[]): void {
    this.attempts = attempts;
    this.emitState();
  }

  private live(): Session {
    if (this.lifecycle.state !== 'online' || !this.session) throw new HandlerError('failed', `${this.displayName} is not connected.`);
    return this.session;
  }

  /** Sending works offline too: the message waits in the outbox. */
  private requireSession(): Session {
    if (!this.session) throw new HandlerError('failed', `${this.displayName} has no account set up yet.`);
    return this.session;
  }

  private requireRooms(): AccountRooms {
    if (!this.roomBook) throw new HandlerError('failed', `${this.displayName} has no account set up yet.`);
    return this.roomBook;
  }

  private requireData(): AccountData {
    if (!this.data) throw new HandlerError('failed', `${this.displayName} has no account set up yet.`);
    return this.data;
  }
}

/** The account's JID and SASL user name: "alice" on chat.example.com, or "alice@chat.example.com" as typed. */
function identityOf({ request, account }: Awaited<ReturnType<typeof communityConnection>>): Identity | null {
  const typed = account.username.trim();
  if (!typed || account.password === undefined) return null;
  const domain = (request.domain ?? parseCommunityAddress(request.address).host).toLowerCase();
  const [local, server] = typed.includes('@') ? typed.split('@', 2) : [typed, domain];
  if (!local || !server) return null;
  return { jid: `${local.toLowerCase()}@${server.toLowerCase()}`, server: server.toLowerCase(), username: local, password: account.password };
}

/** Files go the way the session went, trusted as it is; a certificate refused there is not offered to trust for the community. */
function transferRouteOf(request: CommunityRequest, { route }: Candidate): TransferRoute {
  const { extraCas, trustedFingerprints } = request.trust ?? {};
  return {
    route,
    allowUnencrypted: request.allowUnencrypted,
    trust: { ...(extraCas ? { extraCas } : {}), ...(trustedFingerprints ? { trustedFingerprints } : {}) },
    ...(request.systemProxy ? { systemProxy: request.systemProxy } : {}),
  };
}

/** A resume failed in a way this server is now known for: the next try starts afresh, at once. */
class ResumeLearntBroken extends Error {
  override name = 'ResumeLearntBroken';
}


type CommunityRequest = Awaited<ReturnType<typeof communityConnection>>['request'];
