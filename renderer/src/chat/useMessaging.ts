import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { AccountState, BurrowApi } from '../../../electron/contract/contract.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { conversationKey, emptyMessagingState, messagingReducer, type ConversationRef, type MessagingAction, type MessagingState, type PagePlacement } from './messagingState.js';

export interface Messaging {
  state: MessagingState;
  /** Why the accounts could not be loaded, if they could not. */
  error: string | null;
  apply: (action: MessagingAction) => void;
  /** Loads a conversation's newest page once; events keep it current from then on. */
  loadHistory: (ref: ConversationRef) => void;
  /** Shows a conversation around one of its messages (a search result), in place of what was shown. */
  openAt: (ref: ConversationRef, messageId: string) => void;
  /** The page before the oldest message shown, if there is one. */
  loadOlder: (ref: ConversationRef) => void;
  /** The page after the newest message shown, while the newest messages are not shown. */
  loadNewer: (ref: ConversationRef) => void;
}


/**
 * The messaging core as the chat window sees it: the accounts, their rosters and conversations,
 * loaded through the contract and kept current by its events.
 */
export function useMessaging(api: BurrowApi): Messaging {
  const [state, apply] = useReducer(messagingReducer, emptyMessagingState);
  const [error, setError] = useState<string | null>(null);
  /** The state each account had when its roster and conversations were last loaded. */
  const loadedAt = useRef(new Map<string, AccountState>());
  /** Conversations whose newest page is loaded or on its way. */
  const newestLoaded = useRef(new Set<string>());
  const pageLoads = useRef(new Set<string>());

  useEffect(() => {
    const loadAccounts = () =>
      api.invoke('accounts:list').then(
        (accounts) => {
          apply({ type: 'accounts', accounts });
          setError(null);
        },
        (reason: unknown) => setError(`Burrow could not load your accounts: ${errorWords(reason)}`),
      );
    const unsubscribe = [
      api.on('account:changed', (account) => apply({ type: 'account', account })),
      api.on('roster:delta', (delta) => apply({ type: 'rosterDelta', delta })),
      api.on('messageRequests:delta', (delta) => apply({ type: 'messageRequestsDelta', delta })),
      api.on('chat:conversation', (conversation) => apply({ type: 'conversation', conversation })),
      api.on('chat:message', (message) => apply({ type: 'message', message })),
      api.on('chat:peerState', ({ communityId, peer, state: chatState }) => apply({ type: 'peerState', ref: { communityId, peer }, state: chatState })),
      // A community added, renamed or removed (here or in Preferences).
      api.on('settings:changed', () => void loadAccounts()),
    ];
    void loadAccounts();
    return () => {
      for (const off of unsubscribe) off();
    };
  }, [api]);

  // Each account's roster, conversations and message requests: when it first shows up, and again whenever it (re)connects.
  useEffect(() => {
    for (const { communityId, lifecycle } of state.accounts) {
      const before = loadedAt.current.get(communityId);
      loadedAt.current.set(communityId, lifecycle.state);
      if (before !== undefined && !(lifecycle.state === 'online' && before !== 'online')) continue;
      api.invoke('roster:get', { communityId }).then(
        (roster) => apply({ type: 'roster', roster }),
        () => undefined,
      );
      api.invoke('chat:conversations', { communityId }).then(
        (conversations) => apply({ type: 'conversations', communityId, conversations }),
        () => undefined,
      );
      api.invoke('messageRequests:get', { communityId }).then(
        (messageRequests) => apply({ type: 'messageRequests', messageRequests }),
        () => undefined,
      );
    }
  }, [api, state.accounts]);

  /** One page request per conversation at a time; the first is the newest page, asked for once. */
  const requestPage = useCallback(
    (ref: ConversationRef, place: { before?: string; after?: string; around?: string }, placement: PagePlacement) => {
      const key = conversationKey(ref);
      if (pageLoads.current.has(key)) return;
      pageLoads.current.add(key);
      apply({ type: 'historyRequested', ref });
      api.invoke('chat:history', { communityId: ref.communityId, peer: ref.peer, ...place }).then(
        (page) => {
          pageLoads.current.delete(key);
          apply({ type: 'history', ref, page, placement });
        },
        () => {
          pageLoads.current.delete(key);
          if (placement === 'replace') newestLoaded.current.delete(key);
          apply({ type: 'historyFailed', ref });
        },
      );
    },
    [api],
  );

  const loadHistory = useCallback(
    (ref: ConversationRef) => {
      const key = conversationKey(ref);
      if (newestLoaded.current.has(key)) return;
      newestLoaded.current.add(key);
      // The newest page: a conversation opens on its latest messages, however long it is.
      requestPage(ref, {}, 'replace');
    },
    [requestPage],
  );

  const openAt = useCallback(
    (ref: ConversationRef, messageId: string) => {
      // Shown around the message from now on; going back to the newest asks for them again.
      newestLoaded.current.delete(conversationKey(ref));
      requestPage(ref, { around: messageId }, 'replace');
    },
    [requestPage],
  );

  const loadOlder = useCallback(
    (ref: ConversationRef) => {
      const before = state.historyEdges[conversationKey(ref)]?.olderCursor;
      if (before) requestPage(ref, { before }, 'older');
    },
    [requestPage, state.historyEdges],
  );

  const loadNewer = useCallback(
    (ref: ConversationRef) => {
      const after = state.historyEdges[conversationKey(ref)]?.newerCursor;
      if (after) requestPage(ref, { after }, 'newer');
    },
    [requestPage, state.historyEdges],
  );

  return { state, error, apply, loadHistory, openAt, loadOlder, loadNewer };
}
