import { describe, expect, it } from 'vitest';
import type { AccountLifecycle, AccountView, HistoryPageView, MessageView } from '../../../electron/contract/contract.js';
import { conversationKey, emptyMessagingState, messagingReducer, upsertMessage, type MessagingAction, type MessagingState } from './messagingState.js';
import { account as accountView, lifecycle } from './testing.js';

const account = (communityId: string, state: AccountLifecycle = lifecycle.online()): AccountView =>
  accountView({ communityId, displayName: communityId, jid: null, lifecycle: state });
const message = (id: string, at: string, overrides: Partial<MessageView> = {}): MessageView => ({
  communityId: 'lab',
  peer: 'bob@lab.test',
  id,
  direction: 'out',
  body: id,
  at,
  state: 'queued',
  edited: false,
  ...overrides,
});
const ref = { communityId: 'lab', peer: 'bob@lab.test' };
const page = (messages: MessageView[], cursors: Partial<Omit<HistoryPageView, 'messages'>> = {}): HistoryPageView => ({ messages, olderCursor: null, newerCursor: null, ...cursors });
const run = (...actions: MessagingAction[]) => actions.reduce(messagingReducer, emptyMessagingState);
const ids = (state: MessagingState) => state.histories['lab bob@lab.test']?.map(({ id, state: messageState }) => `${id}:${messageState}`);

describe('messagingReducer', () => {
  it('upserts messages by id, in time order', () => {
    const list = [message('a', '2026-03-12T10:00:00Z'), message('c', '2026-03-12T10:02:00Z')];
    expect(upsertMessage(list, message('b', '2026-03-12T10:01:00Z')).map(({ id }) => id)).toEqual(['a', 'b', 'c']);
    expect(upsertMessage(list, message('a', '2026-03-12T10:00:00Z', { state: 'delivered' })).map(({ state }) => state)).toEqual(['delivered', 'queued']);
  });

  it('keeps the events that arrive while a history loads, and ignores those of conversations not open', () => {
    const state = run(
      { type: 'message', message: message('ignored', '2026-03-12T09:00:00Z') },
      { type: 'historyRequested', ref },
      { type: 'message', message: message('new', '2026-03-12T10:05:00Z', { state: 'sent' }) },
      { type: 'message', message: message('old', '2026-03-12T10:00:00Z', { state: 'delivered' }) },
      { type: 'history', ref, page: page([message('old', '2026-03-12T10:00:00Z', { state: 'sent' }), message('new', '2026-03-12T10:05:00Z')]), placement: 'replace' },
    );
    expect(ids(state)).toEqual(['old:delivered', 'new:sent']);
    expect(state.loadingHistories).toEqual({});
  });

  it('puts older pages before what is shown and newer ones after, keeping each side’s cursor', () => {
    const state = run(
      { type: 'historyRequested', ref },
      { type: 'history', ref, page: page([message('c', '2026-03-12T10:02:00Z')], { olderCursor: '1:3', newerCursor: '1:3' }), placement: 'replace' },
      { type: 'history', ref, page: page([message('a', '2026-03-12T10:00:00Z'), message('b', '2026-03-12T10:01:00Z')]), placement: 'older' },
      { type: 'history', ref, page: page([message('d', '2026-03-12T10:03:00Z')]), placement: 'newer' },
    );
    expect(ids(state)).toEqual(['a:queued', 'b:queued', 'c:queued', 'd:queued']);
    expect(state.historyEdges[conversationKey(ref)]).toEqual({ olderCursor: null, newerCursor: null });
  });

  it('keeps a live message out of a conversation shown around a search result until its newest messages are shown', () => {
    const aroundResult = run(
      { type: 'historyRequested', ref },
      { type: 'history', ref, page: page([message('found', '2026-03-12T10:00:00Z')], { olderCursor: null, newerCursor: '1:9' }), placement: 'replace' },
      { type: 'message', message: message('live', '2026-03-12T11:00:00Z', { direction: 'in', state: 'received' }) },
    );
    expect(ids(aroundResult)).toEqual(['found:queued']);
  });

  it('shows a message sent at once, and never takes it back to queued when its state was told first', () => {
    const shown = run({ type: 'historyRequested', ref }, { type: 'sent', message: message('m', '2026-03-12T10:00:00Z') });
    expect(ids(shown)).toEqual(['m:queued']);
    const overtaken = run(
      { type: 'historyRequested', ref },
      { type: 'message', message: message('m', '2026-03-12T10:00:00Z', { state: 'delivered' }) },
      { type: 'sent', message: message('m', '2026-03-12T10:00:00Z') },
    );
    expect(ids(overtaken)).toEqual(['m:delivered']);
  });

  it('ends the peer\'s typing when their message arrives', () => {
    const state = run(
      { type: 'historyRequested', ref },
      { type: 'peerState', ref, state: 'composing' },
      { type: 'message', message: message('hi', '2026-03-12T10:00:00Z', { direction: 'in', state: 'received' }) },
    );
    expect(state.peerStates['lab bob@lab.test']).toEqual({ state: 'active' });
  });

  it('updates accounts by community, adds new ones, and forgets what belonged to removed ones', () => {
    let state = run(
      { type: 'accounts', accounts: [account('lab'), account('work')] },
      { type: 'account', account: account('lab', lifecycle.reconnecting({ kind: 'stream-lost' }, { step: 'racing' })) },
      { type: 'account', account: account('new', lifecycle.connecting()) },
      { type: 'roster', roster: { communityId: 'work', contacts: [], requests: [] } },
      { type: 'messageRequests', messageRequests: { communityId: 'work', requests: [{ peer: 'stranger@elsewhere.test', messages: 1, last: null }] } },
      { type: 'conversations', communityId: 'work', conversations: [{ communityId: 'work', peer: 'zoe@work.test', unread: 2, last: null }] },
      { type: 'conversation', conversation: { communityId: 'lab', peer: 'bob@lab.test', unread: 1, last: null } },
    );
    expect(state.accounts.map(({ communityId, lifecycle: { state: accountState } }) => `${communityId}:${accountState}`)).toEqual(['lab:reconnecting', 'work:online', 'new:connecting']);
    expect(state.unread).toBe(3);
    expect(state.messageRequests.work?.requests).toHaveLength(1);
    state = messagingReducer(state, { type: 'accounts', accounts: [account('lab')] });
    expect(Object.keys(state.rosters)).toEqual([]);
    expect(Object.keys(state.messageRequests)).toEqual([]);
    expect(Object.keys(state.conversations)).toEqual(['lab bob@lab.test']);
  });

  it('replaces a community\'s conversations with a fresh list', () => {
    const state = run(
      { type: 'conversation', conversation: { communityId: 'lab', peer: 'gone@lab.test', unread: 4, last: null } },
      { type: 'conversations', communityId: 'lab', conversations: [{ communityId: 'lab', peer: 'bob@lab.test', unread: 1, last: null }] },
    );
    expect(Object.keys(state.conversations)).toEqual(['lab bob@lab.test']);
    expect(state.unread).toBe(1);
  });

  it('applies roster and message request deltas by key to the snapshot', () => {
    const contact = (jid: string, availability: 'available' | 'offline') => ({ jid, name: null, groups: [], subscription: 'both' as const, askPending: false, availability, status: null });
    const state = run(
      { type: 'roster', roster: { communityId: 'lab', contacts: [contact('bob@lab.test', 'offline'), contact('carol@lab.test', 'offline')], requests: ['dave@lab.test'] } },
      { type: 'rosterDelta', delta: { communityId: 'lab', upserted: [contact('bob@lab.test', 'available'), contact('erin@lab.test', 'offline')], removed: ['carol@lab.test'], requestsAdded: ['fay@lab.test'], requestsRemoved: ['dave@lab.test'] } },
      { type: 'messageRequests', messageRequests: { communityId: 'lab', requests: [{ peer: 'zed@elsewhere.test', messages: 1, last: null }] } },
      { type: 'messageRequestsDelta', delta: { communityId: 'lab', upserted: [{ peer: 'yan@elsewhere.test', messages: 2, last: null }], removed: ['zed@elsewhere.test'] } },
    );
    expect(state.rosters.lab?.contacts.map(({ jid, availability }) => `${jid}:${availability}`)).toEqual(['bob@lab.test:available', 'erin@lab.test:offline']);
    expect(state.rosters.lab?.requests).toEqual(['fay@lab.test']);
    expect(state.messageRequests.lab?.requests.map(({ peer }) => peer)).toEqual(['yan@elsewhere.test']);
  });

  it('keeps the unread total as conversations change', () => {
    const conversation = (peer: string, unread: number) => ({ communityId: 'lab', peer, unread, last: null });
    let state = run({ type: 'conversation', conversation: conversation('bob@lab.test', 2) }, { type: 'conversation', conversation: conversation('carol@lab.test', 3) });
    expect(state.unread).toBe(5);
    state = messagingReducer(state, { type: 'conversation', conversation: conversation('bob@lab.test', 0) });
    expect(state.unread).toBe(3);
  });
});
