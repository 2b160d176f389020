import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { AccountState, BurrowApi } from '../../../electron/contract/contract.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { conversationKey, emptyMessagingState, messagingReducer, type ConversationRef, type MessagingAction, type MessagingState } from './messagingState.js';

export interface Messaging {
  state: MessagingState;
  /** Why the accounts could not be loaded, if they could not. */
  error: string | null;
  apply: (action: MessagingAction) => void;
  /** Loads a conversation's history once; events keep it current from then on. */
  loadHistory: (ref: ConversationRef) => void;
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
  const historyLoads = useRef(new Set<string>());

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

  const loadHistory = useCallback(
    (ref: ConversationRef) => {
      const key = conversationKey(ref);
      if (historyLoads.current.has(key)) return;
      historyLoads.current.add(key);
      apply({ type: 'historyRequested', ref });
      // The newest page: a conversation opens on its latest messages, however long it is.
      api.invoke('chat:history', { communityId: ref.communityId, peer: ref.peer }).then(
        ({ messages }) => apply({ type: 'history', ref, messages }),
        () => {
          historyLoads.current.delete(key);
          apply({ type: 'historyFailed', ref });
        },
      );
    },
    [api],
  );

  return { state, error, apply, loadHistory };
}
