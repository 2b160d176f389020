/**
 * Multi-user chat (XEP-0045): joining and leaving a room, its occupants' presence, groupchat
 * messages and the topic, a new room's configuration, invitations (mediated, §7.8.2, and direct,
 * XEP-0249), and finding rooms through service discovery (XEP-0030).
 */
import { MAX_BODY_LENGTH } from '../../../contract/contract.js';
import { isoTime } from './chat.js';
import { bareJidOf, parseJid } from './jid.js';
import { NS_DATA_FORMS, NS_DELAY, NS_DISCO_INFO, NS_DISCO_ITEMS, NS_MUC_USER, NS_STANZA_ERRORS, NS_STANZA_ID } from './namespaces.js';
import { ignored } from './parsed.js';
import type { Ignored } from './parsed.js';
import { xml } from './xml.js';
import type { Element } from './xml.js';

export const NS_MUC = 'http://jabber.org/protocol/muc';
export { NS_MUC_USER };
export const NS_MUC_OWNER = 'http://jabber.org/protocol/muc#owner';
export const NS_CONFERENCE = 'jabber:x:conference';

/**
 * Enters a room as `nick`. The room's own archive brings its history when it has one, so the room
 * sends none on joining; otherwise what came since `historySince`.
 */
export function joinPresence({ room, nick, historySince }: { room: string; nick: string; historySince: Date | null }): Element {
  const history = historySince === null ? xml('history', { maxstanzas: '0' }) : xml('history', { since: historySince.toISOString() });
  return xml('presence', { to: `${room}/${nick}` }, xml('x', { xmlns: NS_MUC }, history));
}

export function leavePresence({ room, nick }: { room: string; nick: string }): Element {
  return xml('presence', { to: `${room}/${nick}`, type: 'unavailable' });
}

/** Like a one-to-one message, the stanza id is the origin-id: the room reflects both, and so tells its sender it has the message. */
export function groupchatMessage({ to, body, originId }: { to: string; body: string; originId: string }): Element {
  return xml('message', { type: 'groupchat', to, id: originId }, xml('body', {}, body), xml('origin-id', { xmlns: NS_STANZA_ID, id: originId }));
}

export function subjectMessage({ room, subject }: { room: string; subject: string }): Element {
  return xml('message', { type: 'groupchat', to: room }, xml('subject', {}, subject));
}

/**
 * Accepts a new room's default configuration (XEP-0045 §10.1.2), but persistent, so that it outlives
 * its occupants' connections (a cut must not end the room), and public, so that others find it in
 * the server's list of rooms (Prosody lists new rooms only when told).
 */
export function acceptDefaultConfiguration(room: string): Element {
  return xml(
    'iq',
    { type: 'set', to: room },
    xml(
      'query',
      { xmlns: NS_MUC_OWNER },
      xml(
        'x',
        { xmlns: NS_DATA_FORMS, type: 'submit' },
        xml('field', { var: 'FORM_TYPE' }, xml('value', {}, 'http://jabber.org/protocol/muc#roomconfig')),
        xml('field', { var: 'muc#roomconfig_persistentroom' }, xml('value', {}, '1')),
        xml('field', { var: 'muc#roomconfig_publicroom' }, xml('value', {}, '1')),
      ),
    ),
  );
}

/** A mediated invitation (§7.8.2): the room passes it on, and lets the invitee in should it be members-only. */
export function mediatedInvitation({ room, to, reason }: { room: string; to: string; reason?: string }): Element {
  return xml('message', { to: room }, xml('x', { xmlns: NS_MUC_USER }, xml('invite', { to }, reason ? xml('reason', {}, reason) : undefined)));
}

export const discoInfoQuery = (to: string): Element => xml('iq', { type: 'get', to }, xml('query', { xmlns: NS_DISCO_INFO }));
export const discoItemsQuery = (to: string): Element => xml('iq', { type: 'get', to }, xml('query', { xmlns: NS_DISCO_ITEMS }));

export interface DiscoInfo {
  identities: { category: string; type: string; name: string | null }[];
  features: string[];
}

export function parseDiscoInfo(iq: Element): DiscoInfo {
  const query = iq.getChild('query', NS_DISCO_INFO);
  return {
    identities: (query?.getChildren('identity') ?? []).map((identity) => ({
      category: identity.attrs.category ?? '',
      type: identity.attrs.type ?? '',
      name: identity.attrs.name ?? null,
    })),
    features: (query?.getChildren('feature') ?? []).flatMap((feature) => feature.attrs.var ?? []),
  };
}

export const isTextConferenceService = (info: DiscoInfo): boolean =>
  info.identities.some((identity) => identity.category === 'conference' && identity.type === 'text');

export interface DiscoItem {
  jid: string;
  name: string | null;
}

/** The items with a valid bare JID; a room list's entries are rooms, named or not. */
export function parseDiscoItems(iq: Element): DiscoItem[] {
  return (iq.getChild('query', NS_DISCO_ITEMS)?.getChildren('item') ?? []).flatMap((item) => {
    const jid = parseJid(item.attrs.jid);
    return jid && jid.resource === null ? [{ jid: bareJidOf(jid), name: item.attrs.name || null }] : [];
  });
}

export type Role = 'moderator' | 'participant' | 'visitor' | 'none';
export type Affiliation = 'owner' | 'admin' | 'member' | 'outcast' | 'none';
const roles: readonly Role[] = ['moderator', 'participant', 'visitor', 'none'];
const affiliations: readonly Affiliation[] = ['owner', 'admin', 'member', 'outcast', 'none'];

export interface OccupantPresence {
  kind: 'occupant';
  room: string;
  nick: string;
  /** false: the occupant left (or, for the user's own, the user is out of the room). */
  present: boolean;
  role: Role;
  affiliation: Affiliation;
  /** The occupant's real JID, where the room shows it. */
  jid: string | null;
  show: 'away' | 'dnd' | null;
  /** It is the user's own presence in the room (status 110). */
  self: boolean;
  /** The room was created by this join (status 201): it waits for its configuration. */
  created: boolean;
  /** The occupant changed nickname to this (status 303). */
  newNick: string | null;
}

export interface JoinRefused {
  kind: 'join-refused';
  room: string;
  nick: string;
  /** The stanza error: conflict (nickname in use), registration-required, forbidden (banned), not-authorized (password)… */
  condition: string;
}

/** A presence from a room occupant (`room/nick`), or null when it is no MUC presence; any error presence from a full JID reads as a refusal. */
export function parseRoomPresence(presence: Element): OccupantPresence | JoinRefused | Ignored | null {
  const from = parseJid(presence.attrs.from);
  const userX = presence.getChild('x', NS_MUC_USER);
  const isError = presence.attrs.type === 'error';
  // A refusal need not repeat the join's <x/>: the caller knows which rooms it is joining.
  if (!userX && !isError) return null;
  if (!from?.resource) return userX ? ignored('a room presence without an occupant nickname') : null;
  const room = bareJidOf(from);
  if (isError) {
    const condition = presence.getChild('error')?.getChildElements().find((child) => child.attrs.xmlns === NS_STANZA_ERRORS && child.name !== 'text');
    return { kind: 'join-refused', room, nick: from.resource, condition: condition?.name ?? 'undefined-condition' };
  }
  if (!userX) return null;
  const item = userX.getChild('item');
  const codes = new Set(userX.getChildren('status').map((status) => status.attrs.code));
  const role = item?.attrs.role as Role | undefined;
  const affiliation = item?.attrs.affiliation as Affiliation | undefined;
  const show = presence.getChildText('show');
  return {
    kind: 'occupant',
    room,
    nick: from.resource,
    present: presence.attrs.type !== 'unavailable',
    role: role && roles.includes(role) ? role : 'none',
    affiliation: affiliation && affiliations.includes(affiliation) ? affiliation : 'none',
    jid: item?.attrs.jid ?? null,
    show: show === 'away' || show === 'xa' ? 'away' : show === 'dnd' ? 'dnd' : null,
    self: codes.has('110'),
    created: codes.has('201'),
    newNick: codes.has('303') ? (item?.attrs.nick ?? null) : null,
  };
}

export interface RoomMessage {
  kind: 'room-message';
  room: string;
  /** The sender's nickname; null for the room's own messages. */
  nick: string | null;
  body: string;
  id: string | null;
  originId: string | null;
  /** The room's archive id for it (a stanza-id by the room itself; anyone else's could be forged). */
  stanzaId: string | null;
  delayedFrom: string | null;
}

export interface RoomSubject {
  kind: 'room-subject';
  room: string;
  nick: string | null;
  subject: string;
}

export interface RoomInvitation {
  kind: 'room-invitation';
  room: string;
  /** Who invites, as a bare JID when known. */
  from: string | null;
  reason: string | null;
  password: string | null;
}

/** A groupchat message (or the topic) from a room, or null when it is none. */
export function parseGroupchat(message: Element): RoomMessage | RoomSubject | Ignored | null {
  if (message.attrs.type !== 'groupchat') return null;
  const from = parseJid(message.attrs.from);
  if (!from) return ignored(`a room message without a valid sender (from=${JSON.stringify(message.attrs.from ?? null)})`);
  const room = bareJidOf(from);
  const nick = from.resource;
  const subject = message.getChild('subject');
  const body = message.getChild('body');
  // A subject with a body is a message about the subject, not a change of it (§8.1).
  if (subject && !body) return { kind: 'room-subject', room, nick, subject: subject.text() };
  if (!body) return ignored(`a room message from ${room} with no body`);
  const text = body.text();
  if (text.length > MAX_BODY_LENGTH) return ignored(`a message in ${room} of ${text.length.toLocaleString('en-US')} characters, over the ${MAX_BODY_LENGTH.toLocaleString('en-US')} Burrow takes`);
  const stamped = message.getChildElements().find((child) => child.is('stanza-id', NS_STANZA_ID) && child.attrs.by !== undefined && parseJid(child.attrs.by) && bareJidOf(parseJid(child.attrs.by)!) === room);
  return {
    kind: 'room-message',
    room,
    nick,
    body: text,
    id: message.attrs.id ?? null,
    originId: message.getChild('origin-id', NS_STANZA_ID)?.attrs.id ?? null,
    stanzaId: stamped?.attrs.id ?? null,
    delayedFrom: isoTime(message.getChild('delay', NS_DELAY)?.attrs.stamp),
  };
}

/** An invitation to a room, mediated (from the room) or direct (XEP-0249), or null when the message is none. */
export function parseInvitation(message: Element): RoomInvitation | null {
  const direct = message.getChild('x', NS_CONFERENCE);
  const directRoom = parseJid(direct?.attrs.jid);
  if (direct && directRoom) {
    const sender = parseJid(message.attrs.from);
    return { kind: 'room-invitation', room: bareJidOf(directRoom), from: sender && bareJidOf(sender), reason: direct.attrs.reason || null, password: direct.attrs.password || null };
  }
  const invite = message.getChild('x', NS_MUC_USER)?.getChild('invite');
  const room = parseJid(message.attrs.from);
  if (!invite || !room) return null;
  const inviter = parseJid(invite.attrs.from);
  return {
    kind: 'room-invitation',
    room: bareJidOf(room),
    from: inviter && bareJidOf(inviter),
    reason: invite.getChildText('reason') || null,
    password: message.getChild('x', NS_MUC_USER)?.getChildText('password') || null,
  };
}

/** The body names `nick` as a word of its own (case aside): "Bob:", "@bob", "thanks Bob!" — not "Bobby". */
export function mentions(body: string, nick: string): boolean {
  const escaped = nick.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}_])${escaped}($|[^\\p{L}\\p{N}_])`, 'iu').test(body);
}
