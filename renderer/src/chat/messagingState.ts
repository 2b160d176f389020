/**
 * The chat window's picture of the messaging core, as pure data: what the requests answered,
 * with every event applied. useMessaging.ts feeds it; the reducer is tested on its own.
 */
import type { AccountView, ChatState, ConversationView, HistoryPageView, MessageRequestsDelta, MessageRequestsView, MessageView, RosterDelta, RosterView } from '../../../electron/contract/contract.js';
import { applyKeyedChanges } from '../../../electron/contract/keyed-changes.js';

/** One conversation: a community and the other party's bare JID. */
export interface ConversationRef {
  communityId: string;
  peer: string;
}

export function conversationKey({ communityId, peer }: ConversationRef): string {
  return `${communityId} ${peer}`;
}

export interface MessagingState {
  accounts: AccountView[];
  /** accounts:list has answered at least once. */
  accountsLoaded: boolean;
  rosters: Record<string, RosterView>;
  /** Messages from people the user does not know, by community. */
  messageRequests: Record<string, MessageRequestsView>;
  /** By conversationKey. */
  conversations: Record<string, ConversationView>;
  /** Every conversation's unread messages, added up: kept as conversations change, never counted over again. */
  unread: number;
  /** Messages of the conversations whose history was loaded, oldest first, by conversationKey. */
  histories: Record<string, MessageView[]>;
  /** Conversations whose history was asked for and has not arrived yet, by conversationKey. */
  loadingHistories: Record<string, true>;
  /** Where each loaded history's shown part ends either side: the cursors of the pages before and after it (null: nothing more). */
  historyEdges: Record<string, HistoryEdges>;
  /** The peers' typing states, by conversationKey. */
  peerStates: Record<string, PeerChatState>;
}

/** A peer's typing state as last told: each notification is a new object, so one that repeats the state is still news. */
export interface PeerChatState {
  state: ChatState;
}

export interface HistoryEdges {
  olderCursor: string | null;
  /** Not null while the newest messages are not shown (a search result opened in its context): live ones wait for them. */
  newerCursor: string | null;
}

/** How a page joins what is shown: in place of it (the newest, or the page around a message), before it, or after it. */
export type PagePlacement = 'replace' | 'older' | 'newer';

export const emptyMessagingState: MessagingState = {
  accounts: [],
  accountsLoaded: false,
  rosters: {},
  messageRequests: {},
  conversations: {},
  unread: 0,
  histories: {},
  loadingHistories: {},
  historyEdges: {},
  peerStates: {},
};

export type MessagingAction =
  | { type: 'accounts'; accounts: AccountView[] }
  | { type: 'account'; account: AccountView }
  | { type: 'roster'; roster: RosterView }
  | { type: 'rosterDelta'; delta: RosterDelta }
  | { type: 'messageRequests'; messageRequests: MessageRequestsView }
  | { type: 'messageRequestsDelta'; delta: MessageRequestsDelta }
  | { type: 'conversations'; communityId: string; conversations: ConversationView[] }
  | { type: 'conversation'; conversation: ConversationView }
  /** A history request went out: events for the conversation are kept from now on. */
  | { type: 'historyRequested'; ref: ConversationRef }
  | { type: 'history'; ref: ConversationRef; page: HistoryPageView; placement: PagePlacement }
  | { type: 'historyFailed'; ref: ConversationRef }
  | { type: 'message'; message: MessageView }
  /** The answer to sending: the message as stored, older than any event about it that came first. */
  | { type: 'sent'; message: MessageView }
  | { type: 'peerState'; ref: ConversationRef; state: ChatState };

function byTime(a: MessageView, b: MessageView): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : 0;
}

/**
 * Adds a message or replaces the one with its id (a state update), keeping the list in time order.
 * A long conversation is not sorted again for it: the message is looked for from the newest end,
 * where updates land, and put in its place.
 */
export function upsertMessage(messages: readonly MessageView[], message: MessageView): MessageView[] {
  const next = [...messages];
  const index = next.findLastIndex(({ id }) => id === message.id);
  if (index >= 0 && next[index]?.at === message.at) {
    next[index] = message;
    return next;
  }
  if (index >= 0) next.splice(index, 1);
  next.splice(placeInTime(next, message), 0, message);
  return next;
}

/** Where `message` goes in `messages`, in time order: after those no later than it. */
function placeInTime(messages: readonly MessageView[], message: MessageView): number {
  let low = 0;
  let high = messages.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (byTime(messages[middle]!, message) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function withoutCommunities<T>(record: Record<string, T>, keep: (key: string) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => keep(key)));
}

function unreadOf(conversations: Iterable<ConversationView>): number {
  let sum = 0;
  for (const { unread } of conversations) sum += unread;
  return sum;
}

const itself = (jid: string) => jid;

function withRosterDelta(roster: RosterView | undefined, { communityId, upserted, removed, requestsAdded, requestsRemoved }: RosterDelta): RosterView {
  return {
    communityId,
    contacts: applyKeyedChanges(roster?.contacts ?? [], { upserted, removed }, ({ jid }) => jid),
    requests: applyKeyedChanges(roster?.requests ?? [], { upserted: requestsAdded, removed: requestsRemoved }, itself),
  };
}

function withMessageRequestsDelta(view: MessageRequestsView | undefined, { communityId, upserted, removed }: MessageRequestsDelta): MessageRequestsView {
  return { communityId, requests: applyKeyedChanges(view?.requests ?? [], { upserted, removed }, ({ peer }) => peer) };
}

export function messagingReducer(state: MessagingState, action: MessagingAction): MessagingState {
  switch (action.type) {
    case 'accounts': {
      const ids = new Set(action.accounts.map(({ communityId }) => communityId));
      const keepKey = (key: string) => ids.has(key.slice(0, key.indexOf(' ')));
      const conversations = withoutCommunities(state.conversations, keepKey);
      return {
        ...state,
        accounts: action.accounts,
        accountsLoaded: true,
        rosters: withoutCommunities(state.rosters, (id) => ids.has(id)),
        messageRequests: withoutCommunities(state.messageRequests, (id) => ids.has(id)),
        conversations,
        unread: unreadOf(Object.values(conversations)),
        histories: withoutCommunities(state.histories, keepKey),
        loadingHistories: withoutCommunities(state.loadingHistories, keepKey),
        peerStates: withoutCommunities(state.peerStates, keepKey),
      };
    }
    case 'account': {
      const known = state.accounts.some(({ communityId }) => communityId === action.account.communityId);
      const accounts = known
        ? state.accounts.map((account) => (account.communityId === action.account.communityId ? action.account : account))
        : [...state.accounts, action.account];
      return { ...state, accounts };
    }
    case 'roster':
      return { ...state, rosters: { ...state.rosters, [action.roster.communityId]: action.roster } };
    case 'rosterDelta': {
      const { communityId } = action.delta;
      return { ...state, rosters: { ...state.rosters, [communityId]: withRosterDelta(state.rosters[communityId], action.delta) } };
    }
    case 'messageRequests':
      return { ...state, messageRequests: { ...state.messageRequests, [action.messageRequests.communityId]: action.messageRequests } };
    case 'messageRequestsDelta': {
      const { communityId } = action.delta;
      return { ...state, messageRequests: { ...state.messageRequests, [communityId]: withMessageRequestsDelta(state.messageRequests[communityId], action.delta) } };
    }
    case 'conversations': {
      const [others, replaced] = partition(Object.entries(state.conversations), ([, conversation]) => conversation.communityId !== action.communityId);
      const mine = action.conversations.map((conversation) => [conversationKey(conversation), conversation] as const);
      const unread = state.unread - unreadOf(replaced.map(([, conversation]) => conversation)) + unreadOf(action.conversations);
      return { ...state, conversations: Object.fromEntries([...others, ...mine]), unread };
    }
    case 'conversation': {
      const key = conversationKey(action.conversation);
      const unread = state.unread - (state.conversations[key]?.unread ?? 0) + action.conversation.unread;
      return { ...state, conversations: { ...state.conversations, [key]: action.conversation }, unread };
    }
    case 'historyRequested': {
      const key = conversationKey(action.ref);
      return {
        ...state,
        histories: { ...state.histories, [key]: state.histories[key] ?? [] },
        loadingHistories: { ...state.loadingHistories, [key]: true },
      };
    }
    case 'history': {
      const key = conversationKey(action.ref);
      const { page, placement } = action;
      const shown = state.histories[key] ?? [];
      const edges = state.historyEdges[key] ?? { olderCursor: null, newerCursor: null };
      const { [key]: _done, ...loadingHistories } = state.loadingHistories;
      let messages: MessageView[];
      let nextEdges: HistoryEdges;
      if (placement === 'replace') {
        // Messages that arrived as events while the newest page was on its way are at least as fresh.
        const arrived = page.newerCursor === null ? shown : [];
        messages = arrived.reduce(upsertMessage, [...page.messages].sort(byTime));
        nextEdges = { olderCursor: page.olderCursor, newerCursor: page.newerCursor };
      } else {
        const known = new Set(shown.map(({ id }) => id));
        const added = page.messages.filter(({ id }) => !known.has(id));
        messages = placement === 'older' ? [...added, ...shown] : [...shown, ...added];
        nextEdges = placement === 'older' ? { ...edges, olderCursor: page.olderCursor } : { ...edges, newerCursor: page.newerCursor };
      }
      return { ...state, histories: { ...state.histories, [key]: messages }, historyEdges: { ...state.historyEdges, [key]: nextEdges }, loadingHistories };
    }
    case 'historyFailed': {
      const { [conversationKey(action.ref)]: _failed, ...loadingHistories } = state.loadingHistories;
      return { ...state, loadingHistories };
    }
    case 'message': {
      const { message } = action;
      const key = conversationKey(message);
      const history = state.histories[key];
      // An inbound message ends the peer's "typing…".
      const peerStates = message.direction === 'in' && state.peerStates[key]?.state === 'composing' ? { ...state.peerStates, [key]: { state: 'active' as const } } : state.peerStates;
      return {
        ...state,
        histories: history && showsNewest(state, key, message, history) ? { ...state.histories, [key]: upsertMessage(history, message) } : state.histories,
        peerStates,
      };
    }
    case 'sent': {
      const known = state.histories[conversationKey(action.message)]?.some(({ id }) => id === action.message.id);
      return known ? state : messagingReducer(state, { type: 'message', message: action.message });
    }
    case 'peerState':
      return { ...state, peerStates: { ...state.peerStates, [conversationKey(action.ref)]: { state: action.state } } };
  }
}

/**
 * A live message joins the shown history unless the newest messages are not shown (a search result
 * opened in its context) and it is newer than what is: it waits for them then, instead of showing after a gap.
 */
function showsNewest(state: MessagingState, key: string, message: MessageView, history: readonly MessageView[]): boolean {
  if ((state.historyEdges[key]?.newerCursor ?? null) === null) return true;
  const last = history.at(-1);
  return last !== undefined && message.at <= last.at;
}

/** What each account has, in the accounts' order, with the community's name where there is more than one. */
export function perCommunity<T>(accounts: readonly AccountView[], itemsOf: (communityId: string) => readonly T[]): { communityId: string; community: string | null; item: T }[] {
  return accounts.flatMap(({ communityId, displayName }) => itemsOf(communityId).map((item) => ({ communityId, community: accounts.length > 1 ? displayName : null, item })));
}

function partition<T>(items: readonly T[], keep: (item: T) => boolean): [T[], T[]] {
  const kept: T[] = [];
  const rest: T[] = [];
  for (const item of items) (keep(item) ? kept : rest).push(item);
  return [kept, rest];
}
