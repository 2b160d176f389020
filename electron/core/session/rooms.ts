/**
 * The group chat part of a session (XEP-0045): the rooms the user is in, entering and leaving
 * them (again after a fresh start), their occupants and topic told as they change, their messages
 * recorded in the history (a room is a conversation of its own), what came while away read from
 * the room's archive (XEP-0313), and the room's reflection of the user's own messages, which takes
 * them out of the outbox (messaging.ts). The rooms entered are bookmarked (XEP-0402), and the
 * bookmarked ones entered on every fresh stream, so that every device of the user is in them.
 */
import { StanzaError } from '../stream/iq-caller.js';
import { later } from './archive-sync.js';
import type { History, HistoryMessage } from './history.js';
import type { Messaging } from './messaging.js';
import { RoomSelfPing, selfPing, selfPingTimeoutMs } from './room-self-ping.js';
import type { SessionLink } from './session-link.js';
import { bookmarkPublishOptions, fetchBookmarks, parseBookmarks, publishBookmark, retractBookmark, type Bookmark } from './stanzas/bookmarks.js';
import { bareJid, parseJid, requireBareJid, requireConversationJid } from './stanzas/jid.js';
import { mamQuery, parseMamFin, parseMamResult } from './stanzas/mam.js';
import {
  acceptDefaultConfiguration,
  discoInfoQuery,
  discoItemsQuery,
  isTextConferenceService,
  joinPresence,
  leavePresence,
  mediatedInvitation,
  mentions,
  parseDiscoInfo,
  parseDiscoItems,
  parseGroupchat,
  parseInvitation,
  parseRoomPresence,
  subjectMessage,
  type Affiliation,
  type DiscoItem,
  type OccupantPresence,
  type Role,
  type RoomMessage,
} from './stanzas/muc.js';
import { NS_MAM, NS_MUC_USER } from './stanzas/namespaces.js';
import type { Element } from './stanzas/xml.js';

/** How long a room may take to let the user in. */
const joinTimeoutMs = 20_000;
/** How long one page of a room's archive may take. */
const pageTimeoutMs = 60_000;

export interface Occupant {
  nick: string;
  role: Role;
  affiliation: Affiliation;
  /** The real JID, where the room shows it. */
  jid: string | null;
  show: 'away' | 'dnd' | null;
}

/** Where the user stands in a room: entering it, in it, or out of it (and why, when refused or removed). */
export type RoomPresence = { state: 'entering' } | { state: 'joined' } | { state: 'out'; condition: string | null };

export type RoomEvent =
  | { type: 'room'; room: string; nick: string; presence: RoomPresence }
  | { type: 'room-subject'; room: string; subject: string }
  | { type: 'room-occupant'; room: string; occupant: Occupant }
  | { type: 'room-occupant-left'; room: string; nick: string }
  | { type: 'room-invitation'; room: string; from: string | null; reason: string | null };

/** The room refused the user (a nickname in use: `conflict`), or did not answer. */
export class RoomRefusedError extends Error {
  override name = 'RoomRefusedError';
  constructor(
    readonly room: string,
    readonly condition: string,
  ) {
    super(`the room ${room} refused to let the user in (${condition})`);
  }
}

export interface RoomsOptions {
  /** The account's bare JID: its domain is where the rooms service is looked for. */
  account: string;
  history: History;
  newQueryId: () => string;
  now: () => Date;
  pageSize: number;
  /** At most this many archive pages per room on each entry; the rest follows on the next. */
  maxPages: number;
}

interface Room {
  nick: string;
  /** In the room on the current stream. */
  joined: boolean;
  /** Joined and caught up with the room's archive: the user's messages may go. */
  open: boolean;
  /** The room keeps an archive (null: not asked yet). */
  archived: boolean | null;
  /** The newest archive id the history had when the user last asked to enter: the archive is read from there. */
  archivedUpTo: string | null;
  /**
   * Where the next message read from the archive goes (null: anywhere): after everything the history
   * had when the user asked to enter, and after each one read before it. The archive stamps to the
   * second, and what came live just before a cut must not go after what the archive brings after it.
   */
  archiveFloor: string | null;
  occupants: Map<string, Occupant>;
  entering: { resolve: (created: boolean) => void; reject: (error: Error) => void } | null;
}

export class Rooms {
  private readonly rooms = new Map<string, Room>();
  /** The archive queries under way, by query id: which room's. */
  private readonly queries = new Map<string, string>();
  private service: Promise<string | null> | null = null;
  /** Which of `bookmarkPublishOptions` this server takes: learnt from its refusals, from the fullest down. */
  private publishOptionsTaken = 0;
  private readonly selfPing: RoomSelfPing;

  constructor(
    private readonly options: RoomsOptions,
    private readonly link: SessionLink,
    private readonly messaging: Messaging,
  ) {
    this.selfPing = new RoomSelfPing({
      now: () => options.now().getTime(),
      ping: (room) => this.link.request(selfPing(room, this.rooms.get(room)?.nick ?? ''), selfPingTimeoutMs),
      online: () => this.link.client !== null,
      out: (room) => this.lost(room),
    });
  }

  /** The user is in `room` (or entering it). */
  has(room: string): boolean {
    return this.rooms.has(room);
  }

  /**
   * Whom a message to `to` goes to, as its conversation is keyed: a room the user is in (a groupchat
   * message), one of its occupants (`room@service/nick`, a private message through the room), or
   * anyone else by their bare JID.
   */
  addressOf(to: string): { peer: string; room: boolean } {
    const bare = requireBareJid(to);
    if (!this.rooms.has(bare)) return { peer: bare, room: false };
    const peer = requireConversationJid(to);
    return { peer, room: peer === bare };
  }

  /** The user's messages to `room` may go on this stream. */
  isOpen(room: string): boolean {
    return this.rooms.get(room)?.open === true;
  }

  /** The rooms the user is in or entering, with their nicknames. */
  list(): { room: string; nick: string }[] {
    return [...this.rooms].map(([room, { nick }]) => ({ room, nick }));
  }

  occupants(room: string): Occupant[] {
    return [...(this.rooms.get(room)?.occupants.values() ?? [])];
  }

  /** Entered on the next fresh stream (a room the user was in when Burrow last ran, or bookmarked). */
  remember(room: string, nick: string): void {
    if (!this.rooms.has(room)) this.rooms.set(room, newRoom(nick));
  }

  /**
   * Enters `room` as `nick`, creating it if it does not exist (then accepting its default
   * configuration). Resolves with whether it was created once the user is in; rejects with
   * RoomRefusedError when the room refuses (`conflict`: the nickname is taken).
   */
  async enter(room: string, nick: string): Promise<{ created: boolean }> {
    const existing = this.rooms.get(room);
    // Already in: a change of nickname is not this.
    if (existing?.joined) return { created: false };
    const entry = existing ? Object.assign(existing, { nick }) : newRoom(nick);
    this.rooms.set(room, entry);
    try {
      const created = await this.join(room, entry);
      // Bookmarked, so that the user's other devices enter it too; a server without bookmarks still lets the user in.
      this.bookmark({ room, nick, autojoin: true }).catch((error: unknown) => this.link.emit({ type: 'ignored', reason: `the room ${room} could not be bookmarked: ${String(error)}` }));
      return { created };
    } catch (error) {
      if (this.rooms.get(room) === entry && !entry.joined) this.rooms.delete(room);
      throw error;
    }
  }

  async leave(room: string): Promise<void> {
    const entry = this.rooms.get(room);
    if (!entry) return;
    this.rooms.delete(room);
    this.selfPing.unwatch(room);
    this.link.emit({ type: 'room', room, nick: entry.nick, presence: { state: 'out', condition: null } });
    if (entry.joined) await this.link.client?.send(leavePresence({ room, nick: entry.nick }));
    await this.link.request(retractBookmark(room)).catch(() => undefined);
  }

  async setSubject(room: string, subject: string): Promise<void> {
    await this.requireClient().send(subjectMessage({ room, subject }));
  }

  async invite(room: string, to: string, reason?: string): Promise<void> {
    await this.requireClient().send(mediatedInvitation({ room, to, ...(reason ? { reason } : {}) }));
  }

  /** The server's group chat service, found by service discovery on the user's domain (null: it has none). */
  findService(): Promise<string | null> {
    const domain = this.options.account.slice(this.options.account.indexOf('@') + 1);
    this.service ??= this.discoverService(domain).catch((error: unknown) => {
      this.service = null;
      throw error;
    });
    return this.service;
  }

  /** The rooms the service lists (public ones). */
  async listRooms(service: string): Promise<DiscoItem[]> {
    return parseDiscoItems(await this.link.request(discoItemsQuery(service)));
  }

  /** A fresh stream: the user is in no room on it until entered again. */
  startedAfresh(): void {
    this.selfPing.unwatchAll();
    for (const [room, entry] of this.rooms) {
      entry.joined = false;
      entry.open = false;
      for (const nick of entry.occupants.keys()) this.link.emit({ type: 'room-occupant-left', room, nick });
      entry.occupants.clear();
    }
  }

  /** The stream was resumed: a room may have lost the user while it was away, and is asked. */
  resumed(): void {
    this.selfPing.checkAll();
  }

  /**
   * Enters again every room the user was in, and those bookmarked (on another device too), each on
   * its own: one that refuses does not hold up the others.
   */
  enterAll(): void {
    this.link
      .request(fetchBookmarks())
      .then(parseBookmarks, () => [])
      .then((bookmarks) => {
        const nick = this.options.account.slice(0, this.options.account.indexOf('@'));
        for (const bookmark of bookmarks) if (bookmark.autojoin) this.remember(bookmark.room, bookmark.nick ?? nick);
        this.enterRemembered();
      })
      .catch((error: unknown) => this.link.reportError(error));
  }

  private enterRemembered(): void {
    for (const [room, entry] of this.rooms) {
      if (entry.joined || entry.entering) continue;
      this.join(room, entry).catch((error: unknown) => {
        if (!(error instanceof RoomRefusedError)) this.link.reportError(error);
      });
    }
  }

  /** A presence from a room the user is in: true when it was one (handled here). */
  handlePresence(stanza: Element): boolean {
    const room = bareJid(stanza.attrs.from);
    const entry = room === null ? undefined : this.rooms.get(room);
    if (!entry || room === null) return false;
    const parsed = parseRoomPresence(stanza);
    if (parsed === null) return false;
    this.selfPing.heard(room);
    if (parsed.kind === 'ignored') {
      this.link.emit({ type: 'ignored', reason: parsed.reason });
      return true;
    }
    if (parsed.kind === 'join-refused') {
      if (!entry.joined) this.refused(room, entry, parsed.condition);
      return true;
    }
    this.occupantChanged(room, entry, parsed);
    return true;
  }

  /** A message from or about a room (a groupchat message, the topic, an invitation, a room archive result): true when handled here. */
  async handleMessage(stanza: Element): Promise<boolean> {
    if (await this.archiveResult(stanza)) return true;
    const invitation = parseInvitation(stanza);
    if (invitation) {
      this.link.emit({ type: 'room-invitation', room: invitation.room, from: invitation.from, reason: invitation.reason });
      return true;
    }
    const room = bareJid(stanza.attrs.from);
    const entry = room === null ? undefined : this.rooms.get(room);
    if (!entry || room === null) return false;
    if (stanza.attrs.type === 'error') {
      // A room refuses a message from someone not in it with not-acceptable (XEP-0045 §7.4): it may
      // have lost the user. The self-ping says; the message waits for its reflection meanwhile, and
      // goes again should the room have to be entered again.
      if (entry.joined && StanzaError.from(stanza).condition === 'not-acceptable') {
        this.selfPing.checkNow(room);
        return true;
      }
      // Any other bounce of the user's own message goes to messaging, which fails or re-sends it.
      return false;
    }
    this.selfPing.heard(room);
    const parsed = parseGroupchat(stanza);
    if (parsed === null) {
      // A private message from an occupant, marked as one (XEP-0045 §7.5), is chat with that occupant: messaging's.
      if (parseJid(stanza.attrs.from)?.resource && stanza.getChild('x', NS_MUC_USER)) return false;
      this.link.emit({ type: 'ignored', reason: `a message through the room ${room} that is neither the room's nor marked private` });
      return true;
    }
    if (parsed.kind === 'ignored') this.link.emit({ type: 'ignored', reason: parsed.reason });
    else if (parsed.kind === 'room-subject') this.link.emit({ type: 'room-subject', room, subject: parsed.subject });
    else await this.record(entry, parsed, { at: null, archiveOrder: false });
    return true;
  }

  private async bookmark(bookmark: Bookmark): Promise<void> {
    for (;;) {
      const options = bookmarkPublishOptions[this.publishOptionsTaken];
      if (!options) throw new Error('the server refused every set of publish options');
      try {
        await this.link.request(publishBookmark(bookmark, options));
        return;
      } catch (error) {
        // Only a refusal teaches anything: a lost stream does not.
        if (!(error instanceof StanzaError)) throw error;
        this.publishOptionsTaken += 1;
      }
    }
  }

  private async discoverService(domain: string): Promise<string | null> {
    const items = parseDiscoItems(await this.link.request(discoItemsQuery(domain)));
    for (const item of items) {
      const info = await this.link.request(discoInfoQuery(item.jid)).then(parseDiscoInfo, () => null);
      if (info && isTextConferenceService(info)) return item.jid;
    }
    return null;
  }

  /** Sends the join presence and waits for the room's answer; resolves with whether the join created the room. */
  private async join(room: string, entry: Room): Promise<boolean> {
    const client = this.requireClient();
    entry.archived ??= await this.link
      .request(discoInfoQuery(room))
      .then((answer) => parseDiscoInfo(answer).features.includes(NS_MAM))
      // A room that does not exist yet has no archive until it is made.
      .catch(() => null);
    const answered = new Promise<boolean>((resolve, reject) => (entry.entering = { resolve, reject }));
    this.link.emit({ type: 'room', room, nick: entry.nick, presence: { state: 'entering' } });
    // Read before the room can send anything: a message coming live as the user enters must not hide the gap before it.
    entry.archivedUpTo = await this.options.history.lastStanzaId(room);
    entry.archiveFloor = (await this.options.history.last(room))?.at ?? null;
    const since = entry.archived === false ? await this.lastMessageAt(room) : null;
    await client.send(joinPresence({ room, nick: entry.nick, historySince: since }));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RoomRefusedError(room, 'remote-server-timeout')), joinTimeoutMs);
    });
    try {
      return await Promise.race([answered, timeout]);
    } finally {
      clearTimeout(timer);
      entry.entering = null;
    }
  }

  private refused(room: string, entry: Room, condition: string): void {
    this.link.emit({ type: 'room', room, nick: entry.nick, presence: { state: 'out', condition } });
    entry.entering?.reject(new RoomRefusedError(room, condition));
  }

  private occupantChanged(room: string, entry: Room, presence: OccupantPresence): void {
    const { nick, present, role, affiliation, jid, show } = presence;
    const self = presence.self || (nick === entry.nick && !entry.joined);
    if (!present) {
      entry.occupants.delete(nick);
      this.link.emit({ type: 'room-occupant-left', room, nick });
      if (self && presence.newNick !== null) entry.nick = presence.newNick;
      else if (self) this.removed(room, entry);
      return;
    }
    const occupant = { nick, role, affiliation, jid, show };
    entry.occupants.set(nick, occupant);
    this.link.emit({ type: 'room-occupant', room, occupant });
    if (self && !entry.joined) void this.entered(room, entry, presence.created);
  }

  /** The room let the user in: a new room gets its configuration, then the room's archive is read and the room opens to the outbox. */
  private async entered(room: string, entry: Room, created: boolean): Promise<void> {
    entry.joined = true;
    try {
      if (created) {
        await this.link.request(acceptDefaultConfiguration(room));
        entry.archived = await this.link.request(discoInfoQuery(room)).then((answer) => parseDiscoInfo(answer).features.includes(NS_MAM), () => false);
      }
      this.link.emit({ type: 'room', room, nick: entry.nick, presence: { state: 'joined' } });
      entry.entering?.resolve(created);
      if (entry.archived) await this.catchUp(room, entry);
    } catch (error) {
      entry.entering?.reject(error instanceof Error ? error : new Error(String(error)));
      this.link.reportError(error);
    }
    if (!entry.joined || this.rooms.get(room) !== entry) return;
    entry.open = true;
    this.selfPing.watch(room);
    this.messaging.roomOpened();
  }

  /** The user is out of the room (kicked, banned, the room destroyed): Burrow does not go back in on its own. */
  private removed(room: string, entry: Room): void {
    entry.joined = false;
    entry.open = false;
    this.rooms.delete(room);
    this.selfPing.unwatch(room);
    this.link.emit({ type: 'room', room, nick: entry.nick, presence: { state: 'out', condition: 'removed' } });
  }

  /**
   * The room no longer has the user, and never said so (its self-ping refused them): Burrow enters
   * it again as after a fresh start — the archive read from the last message it has, and what the
   * room neither reflected nor archived sent again.
   */
  private lost(room: string): void {
    const entry = this.rooms.get(room);
    if (!entry?.joined || entry.entering) return;
    entry.joined = false;
    entry.open = false;
    for (const nick of entry.occupants.keys()) this.link.emit({ type: 'room-occupant-left', room, nick });
    entry.occupants.clear();
    this.messaging.roomLost(room);
    this.join(room, entry).catch((error: unknown) => {
      if (!(error instanceof RoomRefusedError)) this.link.reportError(error);
    });
  }

  /**
   * Reads the room's archive from the last message the history has from it (on the first entry,
   * its last page only), page by page: the user's own messages found there were reflected after all.
   */
  private async catchUp(room: string, entry: Room): Promise<void> {
    const { pageSize, maxPages } = this.options;
    let after = entry.archivedUpTo;
    for (let pages = 1; pages <= maxPages && entry.joined; pages++) {
      const queryId = this.options.newQueryId();
      this.queries.set(queryId, room);
      try {
        const answer = await this.link.request(mamQuery({ queryId, to: room, max: pageSize, ...(after === null ? { before: '' } : { after }) }), pageTimeoutMs);
        await this.link.received();
        const page = parseMamFin(answer);
        if (page.kind === 'ignored') return this.link.emit({ type: 'ignored', reason: page.reason });
        // The first entry reads the newest page alone; later ones read on until the archive is through.
        if (after === null || page.complete || page.last === null) return;
        after = page.last;
      } finally {
        this.queries.delete(queryId);
      }
    }
  }

  private async archiveResult(stanza: Element): Promise<boolean> {
    const room = bareJid(stanza.attrs.from);
    if (room === null || !this.rooms.has(room) || this.queries.size === 0) return false;
    const archived = parseMamResult(stanza, { archive: room, queryIds: new Set(this.queries.keys()) });
    if (archived === null) return false;
    if (archived.kind === 'ignored') {
      this.link.emit({ type: 'ignored', reason: archived.reason });
      return true;
    }
    const parsed = parseGroupchat(archived.message);
    const entry = this.rooms.get(room);
    if (parsed?.kind !== 'room-message' || !entry || parsed.room !== room) return true;
    const recorded = await this.record(entry, { ...parsed, stanzaId: archived.archiveId }, { at: later(entry.archiveFloor, archived.archivedAt), archiveOrder: true });
    entry.archiveFloor = later(entry.archiveFloor, recorded.at);
    return true;
  }

  /** Records a room message once (returning the history's copy); the user's own, reflected or archived, leaves the outbox. */
  private async record(entry: Room, message: RoomMessage, { at, archiveOrder }: { at: string | null; archiveOrder: boolean }): Promise<HistoryMessage> {
    const own = message.nick !== null && message.nick === entry.nick;
    const originId = message.originId ?? (own ? message.id : null);
    const outcome = await this.options.history.record(
      {
        peer: message.room,
        direction: own ? 'out' : 'in',
        body: message.body,
        at: at ?? this.options.now().toISOString(),
        sentAt: message.delayedFrom,
        originId,
        stanzaId: message.stanzaId,
        state: own ? 'delivered' : 'received',
        ...(message.nick === null ? {} : { sender: message.nick }),
        ...(!own && mentions(message.body, entry.nick) ? { mention: true as const } : {}),
      },
      { archiveOrder },
    );
    if (outcome.added) this.link.emit({ type: 'message', message: outcome.message });
    if (own && originId !== null) await this.messaging.reflected(message.room, originId);
    return outcome.added ? outcome.message : outcome.duplicateOf;
  }

  private async lastMessageAt(room: string): Promise<Date | null> {
    const last = await this.options.history.last(room);
    return last ? new Date(last.at) : null;
  }

  private requireClient() {
    const client = this.link.client;
    if (!client) throw new Error('the account is not connected');
    return client;
  }
}

function newRoom(nick: string): Room {
  return { nick, joined: false, open: false, archived: null, archivedUpTo: null, archiveFloor: null, occupants: new Map(), entering: null };
}
