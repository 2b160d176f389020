/**
 * An account's rooms (XEP-0045): which it is in, remembered in its folder so that a restart goes
 * back in, their state and topic as the UI sees them, their occupants' changes told as deltas, and
 * the requests that enter, make, leave and browse them.
 */
import type { OccupantView, RoomDirectoryView, RoomView } from '../../contract/contract.js';
import { roomRefusalWords } from '../../contract/room-words.js';
import { HandlerError } from '../../contract/validate.js';
import type { MemoryStore } from '../connection/winners.js';
import type { EventHub } from '../events.js';
import { RoomRefusedError, type Occupant, type RoomEvent } from '../session/rooms.js';
import type { Session } from '../session/session.js';
import { requireBareJid } from '../session/stanzas/jid.js';

/** The rooms the user is in, by room JID: the nickname in each. */
export type RememberedRooms = MemoryStore<Record<string, string>>;
const rememberedKey = 'joined';

export interface AccountRoomsDeps {
  communityId: string;
  events: EventHub;
  store: RememberedRooms;
  /** The session while the account is online; throws with words for the user otherwise. */
  live: () => Session;
  /** The session, online or not; throws with words for the user when the account is not set up. */
  session: () => Session;
}

export class AccountRooms {
  private readonly views = new Map<string, RoomView>();

  constructor(private readonly deps: AccountRoomsDeps) {
    for (const [room, nick] of Object.entries(this.remembered())) this.views.set(room, this.view(room, nick, 'entering'));
  }

  /** Puts the remembered rooms into `session`, to be entered on its next fresh stream. */
  rememberIn(session: Session): void {
    for (const [room, nick] of Object.entries(this.remembered())) session.groupChat.remember(room, nick);
  }

  has(peer: string): boolean {
    return this.views.has(peer);
  }

  list(): RoomView[] {
    return [...this.views.values()];
  }

  async join(address: string, nick: string): Promise<RoomView> {
    // As the history keys its conversation: a room typed in capitals is the same room.
    const room = requireBareJid(address);
    try {
      await this.deps.live().groupChat.enter(room, nick);
    } catch (error) {
      if (error instanceof RoomRefusedError) throw new HandlerError('failed', roomRefusalWords(room, nick, error.condition));
      throw error;
    }
    this.remember(room, nick);
    return this.views.get(room) ?? this.view(room, nick, 'joined');
  }

  /** A room named `name` on the server's group chat service, made with its default configuration and entered. */
  async create(name: string, nick: string): Promise<RoomView> {
    const service = await this.deps.live().groupChat.findService();
    if (service === null) throw new HandlerError('failed', 'This server offers no group chat.');
    return this.join(`${name.toLowerCase()}@${service}`, nick);
  }

  /** Left for good, also while offline: the room is not entered again on the next stream. */
  async leave(address: string): Promise<void> {
    const room = requireBareJid(address);
    this.forget(room);
    await this.deps.session().groupChat.leave(room);
  }

  async browse(): Promise<RoomDirectoryView> {
    const chat = this.deps.live().groupChat;
    const service = await chat.findService();
    return { service, rooms: service === null ? [] : await chat.listRooms(service) };
  }

  occupants(room: string): OccupantView[] {
    return this.deps.live().groupChat.occupants(requireBareJid(room)).map(occupantView);
  }

  async invite(room: string, jid: string, reason?: string): Promise<void> {
    await this.deps.live().groupChat.invite(requireBareJid(room), jid, reason);
  }

  async setSubject(room: string, subject: string): Promise<void> {
    await this.deps.live().groupChat.setSubject(requireBareJid(room), subject);
  }

  /** Tells the UI what a session's room event changed. */
  handle(event: RoomEvent): void {
    const { communityId, events } = this.deps;
    switch (event.type) {
      case 'room': {
        const { presence } = event;
        const view = { ...this.view(event.room, event.nick, presence.state), condition: presence.state === 'out' ? presence.condition : null };
        // In it, whether the user asked here or a bookmark brought it: entered again on the next start.
        if (presence.state === 'joined') this.remember(event.room, event.nick);
        // Removed from the room (kicked, banned, the room gone): Burrow does not go back in by itself.
        if (presence.state === 'out' && presence.condition === 'removed') this.forget(event.room);
        if (presence.state === 'out' && !this.remembered()[event.room]) this.views.delete(event.room);
        else this.views.set(event.room, view);
        return events.emit('room:changed', view);
      }
      case 'room-subject': {
        const view = this.views.get(event.room);
        if (!view) return;
        const changed = { ...view, subject: event.subject };
        this.views.set(event.room, changed);
        return events.emit('room:changed', changed);
      }
      case 'room-occupant':
        return events.emit('room:occupants', { communityId, room: event.room, upserted: [occupantView(event.occupant)], removed: [] });
      case 'room-occupant-left':
        return events.emit('room:occupants', { communityId, room: event.room, upserted: [], removed: [event.nick] });
      case 'room-invitation':
        return events.emit('room:invitation', { communityId, room: event.room, from: event.from, reason: event.reason });
    }
  }

  private view(room: string, nick: string, state: RoomView['state']): RoomView {
    return { communityId: this.deps.communityId, room, nick, state, condition: null, subject: this.views.get(room)?.subject ?? null };
  }

  private remembered(): Record<string, string> {
    return this.deps.store.get(rememberedKey) ?? {};
  }

  private remember(room: string, nick: string): void {
    this.deps.store.set(rememberedKey, { ...this.remembered(), [room]: nick });
  }

  private forget(room: string): void {
    const { [room]: _left, ...rest } = this.remembered();
    this.deps.store.set(rememberedKey, rest);
  }
}

function occupantView({ nick, role, affiliation, jid, show }: Occupant): OccupantView {
  return { nick, role, affiliation, jid, availability: show ?? 'available' };
}
