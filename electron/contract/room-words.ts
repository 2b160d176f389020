/**
 * Rooms in words: why a room did not let the user in, and what a room's state is. The one place
 * they are made, for the chat window and core's answers.
 */
import type { MessageView, RoomView } from './messaging.js';

const refusals: Record<string, (nick: string) => string> = {
  conflict: (nick) => `the nickname “${nick}” is taken there: choose another`,
  'not-authorized': () => 'it needs a password',
  forbidden: () => 'you are banned from it',
  'registration-required': () => 'only its members may enter',
  'service-unavailable': () => 'it is full',
  'not-allowed': () => 'you may not create rooms on this server',
  'item-not-found': () => 'it does not exist and cannot be made',
  'remote-server-timeout': () => 'it did not answer',
  removed: () => 'you were removed from it',
};

/** "You could not enter team@rooms.example.org: the nickname “bob” is taken there: choose another." */
export function roomRefusalWords(room: string, nick: string, condition: string): string {
  const why = refusals[condition]?.(nick) ?? `it refused (${condition})`;
  return `You could not enter ${room}: ${why}.`;
}

/** A room's name in lists and headings: its address's local part. */
export function roomName(room: string): string {
  return room.split('@')[0] ?? room;
}

/**
 * A conversation's title when the user has no name for it: a private chat through a room is
 * "carol (in team)", anyone else their address.
 */
export function conversationTitle(peer: string): string {
  const slash = peer.indexOf('/');
  return slash === -1 ? peer : `${peer.slice(slash + 1)} (in ${roomName(peer.slice(0, slash))})`;
}

/** What the room's header says of the user's place in it. */
export function roomStateWords(view: Pick<RoomView, 'room' | 'nick' | 'state' | 'condition'>): string {
  if (view.state === 'entering') return `Entering as ${view.nick}…`;
  if (view.state === 'joined') return `You are in as ${view.nick}`;
  return view.condition === null ? 'You left this room' : roomRefusalWords(view.room, view.nick, view.condition);
}

/** A message notifies when it is news from someone else; in a room, only when it names the user. */
export function messageNotifies(message: Pick<MessageView, 'direction' | 'state' | 'sender' | 'mention'>): boolean {
  if (message.direction !== 'in' || message.state !== 'received') return false;
  return message.sender === undefined || message.mention === true;
}
