/**
 * One community's account: connects it through the race, signs the session in over the winner,
 * keeps it connected (backoff after a failure, at once on a network change, a new race whenever
 * the path drops, resuming the stream over whatever path wins next) and tells the UI every step.
 */
import type { AccountView, ContactView, ConversationView, MessageView, OwnPresence, RosterView } from '../../contract/contract.js';
import { HandlerError } from '../../contract/validate.js';
import { attemptView } from '../connection-test.js';
import { communityConnection, type CommunityConnectionDeps } from '../community-connection.js';
import { parseCommunityAddress } from '../connection/address.js';
import type { XmppPath } from '../connection/attempt.js';
import { connectToCommunity } from '../connection/connect.js';
import type { AttemptRecord, Diagnosis } from '../connection/race.js';
import type { WinnerMemory } from '../connection/winners.js';
import type { EventHub } from '../events.js';
import { Backoff, ReconnectScheduler, type BackoffOptions } from '../session/backoff.js';
import type { HistoryMessage } from '../session/history.js';
import { Session, type SessionEvent, type SessionOptions } from '../session/session.js';
import { AccountData } from './account-data.js';
import { ContactBook } from './contact-book.js';
import { signInFailure } from './sign-in-failure.js';

export interface AccountDeps {
  communityId: string;
  dataDir: string;
  connection: CommunityConnectionDeps;
  events: EventHub;
  winners: WinnerMemory;
  /** The current network's fingerprint, for remembering winners per network. */
  networkFingerprint: (proxyConfiguration: string) => Promise<string>;
  backoff?: BackoffOptions;
  keepalive?: SessionOptions['keepalive'];
}

interface Identity {
  /** The bare JID the history and outbox belong to. */
  jid: string;
  username: string;
  password: string;
}

export class Account {
  private view: AccountView;
  private readonly contacts = new ContactBook();
  private readonly scheduler: ReconnectScheduler;
  private data: AccountData | null = null;
  private session: Session | null = null;
  private path: XmppPath | null = null;
  /** The user wants this account online (not signed out, not "offline" presence). */
  private wanted = true;
  private running: Promise<void> | null = null;
  private rerun = false;
  private closed = false;

  constructor(
    private readonly deps: AccountDeps,
    displayName: string,
  ) {
    this.view = {
      communityId: deps.communityId,
      displayName,
      jid: null,
      state: 'offline',
      path: null,
      connectMs: null,
      attempts: [],
      retryAt: null,
      diagnosis: null,
      resumed: false,
      presence: { availability: 'available', status: '' },
    };
    this.scheduler = new ReconnectScheduler(() => void this.connect(), new Backoff(deps.backoff));
  }

  get state(): AccountView {
    return this.view;
  }

  /** Connects now, or after the race under way, whatever state the account is in; also "Retry now". */
  connect(): Promise<void> {
    this.wanted = true;
    if (this.view.presence.availability === 'offline') this.view.presence = { ...this.view.presence, availability: 'available' };
    if (this.running) {
      // Settings may have changed since the running race began: go again once it is over, unless it connects.
      this.rerun = true;
      return this.running;
    }
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.rerun && !this.session?.isOnline && this.wanted && !this.closed) {
        this.rerun = false;
        void this.connect();
      }
      this.rerun = false;
    });
    return this.running;
  }

  /** Signs out; the account stays offline until `connect`. The outbox keeps what is unsent. */
  async disconnect(): Promise<void> {
    this.wanted = false;
    this.scheduler.succeeded();
    await this.session?.signOut();
    this.path?.close();
    this.path = null;
    this.update({ state: this.view.state === 'not-configured' ? 'not-configured' : 'offline', retryAt: null });
  }

  /** The settings changed: a new display name, and a new race if the connection settings may differ. */
  settingsChanged(displayName: string): void {
    this.update({ displayName });
    // A working connection is left alone; the new settings apply to the next race.
    if (this.wanted && this.view.state !== 'connected') void this.connect();
  }

  /** The network changed: a reconnecting account tries again at once. */
  networkChanged(): void {
    if (this.wanted && (this.view.state === 'reconnecting' || this.view.state === 'failed')) this.scheduler.networkChanged();
  }

  async setPresence(presence: OwnPresence): Promise<void> {
    this.update({ presence });
    if (presence.availability === 'offline') return this.disconnect();
    if (this.view.state === 'connected') await this.session?.setPresence(presence.availability, presence.status || undefined);
    else if (!this.wanted || this.view.state === 'offline') await this.connect();
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
    if (accept && !this.askedToSee(jid)) await session.addContact(jid, this.contact(jid)?.name ?? undefined);
  }

  async conversations(): Promise<ConversationView[]> {
    const data = this.requireData();
    return Promise.all(data.index.peers().map((peer) => this.conversation(data, peer)));
  }

  async history(peer: string): Promise<MessageView[]> {
    return (await this.requireData().history.messages(peer)).map((message) => this.messageView(message));
  }

  async send(peer: string, body: string): Promise<MessageView> {
    const session = this.requireSession();
    return this.messageView(await session.send(peer, body));
  }

  async retry(peer: string, id: string): Promise<void> {
    await this.requireSession().retry(peer, id);
  }

  async markRead(peer: string): Promise<void> {
    const data = this.requireData();
    const last = (await data.history.messages(peer)).at(-1);
    if (!last) return;
    await data.index.markRead(peer, last.at);
    this.deps.events.emit('chat:conversation', await this.conversation(data, peer));
  }

  async setChatState(peer: string, state: Parameters<Session['sendChatState']>[1]): Promise<void> {
    if (this.view.state === 'connected') await this.session?.sendChatState(peer, state);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.scheduler.stop();
    await this.disconnect();
    await this.running;
    await this.data?.close();
    this.data = null;
  }

  private async run(): Promise<void> {
    this.scheduler.succeeded();
    let identity: Identity | null;
    let connection: Awaited<ReturnType<typeof communityConnection>>;
    try {
      connection = await communityConnection(this.deps.communityId, this.deps.connection);
      identity = identityOf(connection);
    } catch (error) {
      return this.failed({ summary: messageOf(error), hints: [] }, { permanent: true });
    }
    if (!identity) {
      this.update({ state: 'not-configured', jid: null, retryAt: null, diagnosis: null });
      return;
    }
    const session = await this.openSession(identity.jid);
    const startedAt = Date.now();
    this.update({ state: this.view.state === 'connected' ? 'connected' : 'connecting', attempts: [], retryAt: null });
    const attempts = new Map<number, AttemptRecord>();
    const { request } = connection;
    const network = await this.deps.networkFingerprint(`${request.method}|${request.proxy?.host ?? ''}:${request.proxy?.port ?? ''}`);
    const outcome = await connectToCommunity({
      ...request,
      memory: { winners: this.deps.winners, community: this.deps.communityId, network },
      onEvent: ({ record }) => {
        attempts.set(record.attempt, record);
        this.update({ attempts: [...attempts.values()].map(attemptView) });
      },
    });
    const { result } = outcome;
    this.update({ attempts: result.attempts.map(attemptView) });
    if (!result.connected) {
      const permanent = result.attempts.some((attempt) => attempt.cause?.kind === 'certificate');
      return this.failed(result.diagnosis, { permanent });
    }
    const path = result.connection;
    if (!this.wanted || this.closed) return path.close();
    try {
      const how = await session.attach(path.client, { username: identity.username, password: identity.password });
      // The server may end a stream right after taking it back (Prosody 0.12 does when a TCP session resumes over WebSocket).
      if (!session.isOnline) throw new Error('the connection was lost while signing in');
      this.path?.close();
      this.path = path;
      this.update({ state: 'connected', path: result.winner.path, connectMs: Date.now() - startedAt, diagnosis: null, resumed: how === 'resumed' });
      this.scheduler.succeeded();
      const { presence } = this.view;
      if (presence.availability !== 'available' || presence.status) await session.setPresence(presence.availability, presence.status || undefined);
    } catch (error) {
      path.close();
      // The path carried XMPP but not this account's session: no head start for it next time.
      this.deps.winners.forget(this.deps.communityId, network);
      const failure = signInFailure(error);
      return this.failed({ summary: failure.summary, hints: failure.hints }, { permanent: failure.permanent });
    }
  }

  private failed(diagnosis: Diagnosis, { permanent }: { permanent: boolean }): void {
    if (!this.wanted || this.closed) return;
    if (permanent) {
      this.update({ state: 'failed', diagnosis, retryAt: null, path: null });
      return;
    }
    const delayMs = this.scheduler.failed();
    this.update({ state: 'reconnecting', diagnosis, retryAt: Date.now() + delayMs, path: null });
  }

  private async openSession(jid: string): Promise<Session> {
    if (this.session && this.data?.jid === jid) return this.session;
    await this.session?.signOut();
    await this.data?.close();
    this.data = await AccountData.open(this.deps.dataDir, jid);
    const { outbox, history, archivePosition } = this.data;
    this.session = await Session.open({
      account: jid,
      outbox,
      history,
      archivePosition,
      onEvent: (event) => void this.onSessionEvent(event).catch((error: unknown) => console.error(`Burrow (${jid}):`, error)),
      ...(this.deps.keepalive ? { keepalive: this.deps.keepalive } : {}),
    });
    this.update({ jid });
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
        return this.emitRoster();
      case 'presence':
        this.contacts.presence(event.from, event);
        return this.emitRoster();
      case 'subscription':
        if (event.request === 'subscribe' && this.askedToSee(event.from)) {
          // They answer our request with their own: "add each other" needs no second question.
          await this.session?.answerSubscriptionRequest(event.from, true);
          return;
        }
        if (this.contacts.subscription(event.from, event.request)) this.emitRoster();
        return;
      case 'message':
        return this.messageChanged(event.message);
      case 'message-state': {
        const message = await this.data?.history.message(event.peer, event.id);
        if (message) await this.messageChanged(message);
        return;
      }
      case 'chat-state':
        this.deps.events.emit('chat:peerState', { communityId: this.deps.communityId, peer: event.from, state: event.state });
        return;
      case 'error':
        console.error(`Burrow (${this.view.jid ?? this.deps.communityId}): ${event.message}`);
        return;
      case 'ignored':
        return;
    }
  }

  private contact(jid: string): ContactView | undefined {
    return this.roster().contacts.find((item) => item.jid === jid);
  }

  /** We see their presence, or have asked to. */
  private askedToSee(jid: string): boolean {
    const contact = this.contact(jid);
    return contact !== undefined && (contact.askPending || contact.subscription === 'to' || contact.subscription === 'both');
  }

  /** The stream dropped (the keepalive found the path silent, or the server went away): race again. */
  private wentOffline(): void {
    this.contacts.suspendPresence();
    this.emitRoster();
    if (!this.wanted || this.closed) return;
    this.update({ state: 'reconnecting', path: null, retryAt: Date.now(), diagnosis: { summary: 'The connection was lost; reconnecting.', hints: [] } });
    void this.connect();
  }

  private async messageChanged(message: HistoryMessage): Promise<void> {
    const data = this.requireData();
    await data.index.add(message.peer);
    this.deps.events.emit('chat:message', this.messageView(message));
    this.deps.events.emit('chat:conversation', await this.conversation(data, message.peer));
  }

  private async conversation(data: AccountData, peer: string): Promise<ConversationView> {
    const messages = await data.history.messages(peer);
    const readMark = data.index.readMark(peer);
    const unread = messages.filter((message) => message.direction === 'in' && (readMark === null || Date.parse(message.at) > Date.parse(readMark))).length;
    const last = messages.at(-1);
    return { communityId: this.deps.communityId, peer, unread, last: last ? this.messageView(last) : null };
  }

  private messageView({ peer, id, direction, body, at, state }: HistoryMessage): MessageView {
    return { communityId: this.deps.communityId, peer, id, direction, body, at, state };
  }

  private emitRoster(): void {
    this.deps.events.emit('roster:changed', this.roster());
  }

  private update(change: Partial<AccountView>): void {
    this.view = { ...this.view, ...change };
    this.deps.events.emit('account:changed', this.view);
  }

  private live(): Session {
    if (this.view.state !== 'connected' || !this.session) throw new HandlerError('failed', `${this.view.displayName} is not connected.`);
    return this.session;
  }

  /** Sending works offline too: the message waits in the outbox. */
  private requireSession(): Session {
    if (!this.session) throw new HandlerError('failed', `${this.view.displayName} has no account set up yet.`);
    return this.session;
  }

  private requireData(): AccountData {
    if (!this.data) throw new HandlerError('failed', `${this.view.displayName} has no account set up yet.`);
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
  return { jid: `${local.toLowerCase()}@${server.toLowerCase()}`, username: local, password: account.password };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
