/**
 * The messaging part of the contract: accounts and their connection state, the roster, presence
 * and conversations. Pure schemas, free of Node and Electron like the rest of the contract.
 */
import { z } from 'zod';

import { AttemptView } from './attempt-view.js';
import { AccountLifecycle } from './account-lifecycle.js';

export const Availability = z.enum(['available', 'away', 'dnd', 'offline']);
export type Availability = z.infer<typeof Availability>;

export const OwnPresence = z.strictObject({
  availability: Availability,
  /** Free text shown next to the name, e.g. "In a meeting". */
  status: z.string().max(500),
});
export type OwnPresence = z.infer<typeof OwnPresence>;

export const AccountView = z.strictObject({
  communityId: z.string(),
  displayName: z.string(),
  /** The account's bare JID, e.g. alice@chat.example.com; null until a user name is saved. */
  jid: z.string().nullable(),
  /** Where the connection stands: the single source of the status banner. */
  lifecycle: AccountLifecycle,
  /** The last (or current) race's attempts. */
  attempts: z.array(AttemptView),
  presence: OwnPresence,
  /** While online, the server's archive filling in what came while the account was away: messages fetched so far. */
  catchingUp: z.strictObject({ fetched: z.number().int().nonnegative() }).nullable(),
});
export type AccountView = z.infer<typeof AccountView>;

export const SubscriptionState = z.enum(['none', 'to', 'from', 'both']);

export const ContactView = z.strictObject({
  jid: z.string(),
  name: z.string().nullable(),
  groups: z.array(z.string()),
  /** to: we see their presence; from: they see ours; both. */
  subscription: SubscriptionState,
  /** Our request to see their presence is pending. */
  askPending: z.boolean(),
  availability: Availability,
  status: z.string().nullable(),
});
export type ContactView = z.infer<typeof ContactView>;

export const RosterView = z.strictObject({
  communityId: z.string(),
  contacts: z.array(ContactView),
  /** Bare JIDs asking to see the user's presence, waiting for an answer. */
  requests: z.array(z.string()),
});
export type RosterView = z.infer<typeof RosterView>;

/**
 * What changed in a roster since the last delta: the contacts whose view changed, at their latest,
 * the ones gone, and the subscription requests that came or went. A batch of changed items, never
 * the whole list: `roster:get` is the snapshot a delta applies to.
 */
export const RosterDelta = z.strictObject({
  communityId: z.string(),
  upserted: z.array(ContactView),
  /** Bare JIDs no longer in the roster. */
  removed: z.array(z.string()),
  requestsAdded: z.array(z.string()),
  requestsRemoved: z.array(z.string()),
});
export type RosterDelta = z.infer<typeof RosterDelta>;

export const MessageState = z.enum(['queued', 'sent', 'delivered', 'failed', 'received']);
export type MessageState = z.infer<typeof MessageState>;

export const MessageView = z.strictObject({
  communityId: z.string(),
  /** The other party's bare JID; for a private chat through a room, the occupant's full JID (`room@service/nick`). */
  peer: z.string(),
  /** Stable for the message's life: state updates arrive with the same id. */
  id: z.string(),
  direction: z.enum(['in', 'out']),
  body: z.string(),
  /** ISO 8601. */
  at: z.string(),
  /** queued → sent (the server has it) → delivered (the peer's client has it, or the room reflected it); failed; received for inbound. */
  state: MessageState,
  /** Its sender corrected it (XEP-0308): `body` is the corrected text. */
  edited: z.boolean(),
  /** The user's last correction of it was refused, so the peer still has the earlier text: the stanza error's condition. */
  editFailed: z.strictObject({ condition: z.string().max(100) }).optional(),
  /** In a room: the nickname of the occupant who wrote it. */
  sender: z.string().optional(),
  /** In a room: it names the user, and so notifies. */
  mention: z.literal(true).optional(),
});
export type MessageView = z.infer<typeof MessageView>;

export const ConversationView = z.strictObject({
  communityId: z.string(),
  peer: z.string(),
  unread: z.number().int().nonnegative(),
  last: MessageView.nullable(),
});
export type ConversationView = z.infer<typeof ConversationView>;

export const Jid = z
  .string()
  .trim()
  .min(3)
  .max(3071)
  .regex(/^[^@/\s]+@[^@/\s]+$/, 'a contact address looks like name@server');

/**
 * Whom a conversation is with: a bare JID, or a room's occupant (`room@service/nick`) for a private
 * chat through the room.
 */
export const ConversationPeer = z
  .string()
  .trim()
  .min(3)
  .max(3071)
  .regex(/^[^@/\s]+@[^@/\s]+(\/.+)?$/, 'a conversation is with name@server, or with name@server/nickname in a room');

/** Where a page of a conversation starts or ends: opaque, handed back as it came. */
const HistoryCursor = z.string().regex(/^-?\d{1,16}:\d{1,16}$/, 'a cursor is handed back as a page gave it');
export const MAX_HISTORY_PAGE = 500;

/**
 * A page of a conversation: the newest (no place given), the one before or after a cursor an
 * earlier page gave, or the one around a message (a search result opened in its context).
 */
export const HistoryPageRequest = z
  .strictObject({
    communityId: z.string().min(1),
    peer: ConversationPeer,
    before: HistoryCursor.optional(),
    after: HistoryCursor.optional(),
    around: z.string().min(1).max(1024).optional(),
    limit: z.number().int().min(1).max(MAX_HISTORY_PAGE).optional(),
  })
  .refine((request) => [request.before, request.after, request.around].filter((place) => place !== undefined).length <= 1, 'at most one of before, after and around');
export type HistoryPageRequest = z.infer<typeof HistoryPageRequest>;

export const HistoryPageView = z.strictObject({
  /** Oldest first. */
  messages: z.array(MessageView),
  /** Hand back as `before` for the page before this one; null at the conversation's start. */
  olderCursor: HistoryCursor.nullable(),
  /** Hand back as `after` for the page after this one; null at the conversation's end. */
  newerCursor: HistoryCursor.nullable(),
});
export type HistoryPageView = z.infer<typeof HistoryPageView>;

export const MAX_SEARCH_RESULTS = 200;

export const SearchRequest = z.strictObject({
  /** The words typed; the last is matched as the start of a word, as it is being typed. */
  query: z.string().min(1).max(200),
  /** Only this community's account; every account when absent. */
  communityId: z.string().min(1).optional(),
  limit: z.number().int().min(1).max(MAX_SEARCH_RESULTS).optional(),
});
export type SearchRequest = z.infer<typeof SearchRequest>;

/** Where a word searched for is in a message's body: UTF-16 offsets, end exclusive. */
export const TextRange = z.strictObject({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() });
export type TextRange = z.infer<typeof TextRange>;

export const SearchResultView = z.strictObject({
  communityId: z.string(),
  peer: z.string(),
  message: MessageView,
  matches: z.array(TextRange),
});
export type SearchResultView = z.infer<typeof SearchResultView>;

/** Someone not in the roster, with no conversation yet, who wrote: their messages wait here until the user accepts or dismisses them. */
export const MessageRequestView = z.strictObject({
  peer: z.string(),
  /** How many of their messages Burrow keeps. */
  messages: z.number().int().nonnegative(),
  last: MessageView.nullable(),
});
export type MessageRequestView = z.infer<typeof MessageRequestView>;

export const MessageRequestsView = z.strictObject({
  communityId: z.string(),
  /** Oldest first. */
  requests: z.array(MessageRequestView),
});
export type MessageRequestsView = z.infer<typeof MessageRequestsView>;

/** The message requests that came or changed since the last delta, at their latest, and the ones answered or let go. */
export const MessageRequestsDelta = z.strictObject({
  communityId: z.string(),
  upserted: z.array(MessageRequestView),
  /** Peers whose request is no longer open. */
  removed: z.array(z.string()),
});
export type MessageRequestsDelta = z.infer<typeof MessageRequestsDelta>;

export const ChatState = z.enum(['active', 'composing', 'paused', 'inactive', 'gone']);
export type ChatState = z.infer<typeof ChatState>;

/** The longest message body, in characters (UTF-16 code units): the most Burrow sends, and the most it takes in. */
export const MAX_BODY_LENGTH = 10_000;

/** The user's name in a room (XEP-0045 nickname): what others see beside their messages. */
const Nickname = z.string().trim().min(1).max(100).regex(/^[^\s/][^/]*$/u, 'a nickname has no slash');

export const RoomView = z.strictObject({
  communityId: z.string(),
  /** The room's bare JID, also the peer of its conversation. */
  room: z.string(),
  nick: z.string(),
  /** entering: asked to join; joined: in the room; out: left, refused or removed (`condition` says why). */
  state: z.enum(['entering', 'joined', 'out']),
  /** Why the user is out: `conflict` (the nickname is taken), `forbidden` (banned), `removed`…; null when the user left. */
  condition: z.string().nullable(),
  /** The room's topic, once it told it. */
  subject: z.string().nullable(),
});
export type RoomView = z.infer<typeof RoomView>;

export const OccupantView = z.strictObject({
  nick: z.string(),
  role: z.enum(['moderator', 'participant', 'visitor', 'none']),
  affiliation: z.enum(['owner', 'admin', 'member', 'outcast', 'none']),
  /** The occupant's real JID, where the room shows it. */
  jid: z.string().nullable(),
  availability: Availability,
});
export type OccupantView = z.infer<typeof OccupantView>;

/** What changed among a room's occupants: those who came or changed, at their latest, and the nicknames gone. */
export const RoomOccupantsDelta = z.strictObject({
  communityId: z.string(),
  room: z.string(),
  upserted: z.array(OccupantView),
  removed: z.array(z.string()),
});
export type RoomOccupantsDelta = z.infer<typeof RoomOccupantsDelta>;

export const RoomInvitationView = z.strictObject({
  communityId: z.string(),
  room: z.string(),
  /** Who invites (a bare JID), when the invitation says. */
  from: z.string().nullable(),
  reason: z.string().nullable(),
});
export type RoomInvitationView = z.infer<typeof RoomInvitationView>;

export const RoomDirectoryView = z.strictObject({
  /** The server's group chat service (found by service discovery); null when it has none. */
  service: z.string().nullable(),
  rooms: z.array(z.strictObject({ jid: z.string(), name: z.string().nullable() })),
});
export type RoomDirectoryView = z.infer<typeof RoomDirectoryView>;

const CommunityRef = z.strictObject({ communityId: z.string().min(1) });
const PeerRef = z.strictObject({ communityId: z.string().min(1), peer: ConversationPeer });
const RoomRef = z.strictObject({ communityId: z.string().min(1), room: Jid });

export const messagingRequests = {
  /** Every community's account, with its connection state. */
  'accounts:list': { request: z.undefined(), response: z.array(AccountView) },
  /** Connect now: also "Retry now" while reconnecting and "Try again" once failed, which start the backoff over. */
  'account:connect': { request: CommunityRef, response: z.undefined() },
  /** Sign out; stays offline until connected again. */
  'account:disconnect': { request: CommunityRef, response: z.undefined() },
  'presence:set': { request: z.strictObject({ communityId: z.string().min(1), presence: OwnPresence }), response: z.undefined() },
  'roster:get': { request: CommunityRef, response: RosterView },
  'roster:add': {
    request: z.strictObject({ communityId: z.string().min(1), jid: Jid, name: z.string().trim().max(200).optional(), group: z.string().trim().max(200).optional() }),
    response: z.undefined(),
  },
  'roster:rename': { request: z.strictObject({ communityId: z.string().min(1), jid: Jid, name: z.string().trim().max(200) }), response: z.undefined() },
  'roster:remove': { request: z.strictObject({ communityId: z.string().min(1), jid: Jid }), response: z.undefined() },
  /** Accept or deny a request to see the user's presence. */
  'subscription:answer': { request: z.strictObject({ communityId: z.string().min(1), jid: Jid, accept: z.boolean() }), response: z.undefined() },
  'chat:conversations': { request: CommunityRef, response: z.array(ConversationView) },
  'chat:history': { request: HistoryPageRequest, response: HistoryPageView },
  /** Full-text search of every conversation, newest first. */
  'search:messages': { request: SearchRequest, response: z.strictObject({ results: z.array(SearchResultView) }) },
  /** Stored before it is sent: it answers at once, queued, and `chat:message` follows its state. */
  'chat:send': {
    request: z.strictObject({ communityId: z.string().min(1), peer: ConversationPeer, body: z.string().min(1).max(MAX_BODY_LENGTH) }),
    response: MessageView,
  },
  /**
   * Corrects one of the user's own messages (XEP-0308): stored before it is sent, like a message;
   * answers with the message as corrected, and `chat:message` tells the change.
   */
  'chat:correct': {
    request: z.strictObject({ communityId: z.string().min(1), peer: ConversationPeer, id: z.string().min(1).max(1024), body: z.string().min(1).max(MAX_BODY_LENGTH) }),
    response: MessageView,
  },
  /** Sends a failed message again, with the same id. */
  'chat:retry': { request: z.strictObject({ communityId: z.string().min(1), peer: ConversationPeer, id: z.string().min(1) }), response: z.undefined() },
  'chat:markRead': { request: PeerRef, response: z.undefined() },
  /** Typing notifications (XEP-0085). */
  'chat:setState': { request: z.strictObject({ communityId: z.string().min(1), peer: ConversationPeer, state: ChatState }), response: z.undefined() },
  'messageRequests:get': { request: CommunityRef, response: MessageRequestsView },
  /** Accepting makes the request a conversation; dismissing lets its messages go. */
  'messageRequests:answer': { request: z.strictObject({ communityId: z.string().min(1), peer: Jid, accept: z.boolean() }), response: z.undefined() },
  /** The rooms the user is in (or entering), remembered across restarts. Their messages are sent with `chat:send` to the room. */
  'rooms:get': { request: CommunityRef, response: z.array(RoomView) },
  /** The server's group chat service and the rooms it lists. */
  'rooms:browse': { request: CommunityRef, response: RoomDirectoryView },
  /** Enters a room (creating it if it does not exist); fails with words saying why when the room refuses, e.g. the nickname is taken. */
  'room:join': { request: z.strictObject({ communityId: z.string().min(1), room: Jid, nick: Nickname }), response: RoomView },
  /** Makes a room named `name` on the server's group chat service, with its default configuration, and enters it. */
  'room:create': {
    request: z.strictObject({ communityId: z.string().min(1), name: z.string().trim().min(1).max(200).regex(/^[^\s"&'/:<>@]+$/u, 'a room name has no spaces or @ / : < > & \' "'), nick: Nickname }),
    response: RoomView,
  },
  'room:leave': { request: RoomRef, response: z.undefined() },
  /** The room's occupants now; `room:occupants` tells what changes. */
  'room:occupants': { request: RoomRef, response: z.array(OccupantView) },
  /** A mediated invitation (XEP-0045 §7.8.2): the room passes it on. */
  'room:invite': { request: z.strictObject({ communityId: z.string().min(1), room: Jid, jid: Jid, reason: z.string().trim().max(500).optional() }), response: z.undefined() },
  'room:setSubject': { request: z.strictObject({ communityId: z.string().min(1), room: Jid, subject: z.string().max(1000) }), response: z.undefined() },
} as const;

export const messagingEvents = {
  'account:changed': AccountView,
  /** What changed in a roster, a batch at most a few times a second; `roster:get` is the snapshot. */
  'roster:delta': RosterDelta,
  /** A new message, or a new state or text (a correction) of one already shown (same id). */
  'chat:message': MessageView,
  'chat:conversation': ConversationView,
  /** The peer's typing state. */
  'chat:peerState': z.strictObject({ communityId: z.string(), peer: z.string(), state: ChatState }),
  /** What changed in the message requests; `messageRequests:get` is the snapshot. */
  'messageRequests:delta': MessageRequestsDelta,
  /** A room's state changed: entering, joined, out, a new topic. */
  'room:changed': RoomView,
  /** What changed among a room's occupants; `room:occupants` is the snapshot. */
  'room:occupants': RoomOccupantsDelta,
  'room:invitation': RoomInvitationView,
} as const;
