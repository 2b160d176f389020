import { useEffect, useRef, useState } from 'react';
import type { BurrowApi } from '../../../electron/contract/contract.js';
import { messageNotifies } from '../../../electron/contract/room-words.js';
import { conversationKey, type ConversationRef } from './messagingState.js';

const supported = () => typeof Notification !== 'undefined';

/**
 * Browser mode's desktop notifications (Electron's come from the main process): one for each
 * new inbound message (in a room, one that names the user) while the window does not have the focus. A click brings the window
 * forward on that conversation.
 */
export function usePageNotifications(
  api: BurrowApi,
  enabled: boolean,
  titleOf: (ref: ConversationRef) => string,
  onOpen: (ref: ConversationRef) => void,
): { permission: NotificationPermission | 'unsupported'; requestPermission: () => void } {
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>(() => (supported() ? Notification.permission : 'unsupported'));
  const latest = useRef({ titleOf, onOpen });
  useEffect(() => {
    latest.current = { titleOf, onOpen };
  });

  useEffect(() => {
    if (!enabled || !supported()) return;
    // A message is news once: its later state updates and repeats are not.
    const seen = new Set<string>();
    return api.on('chat:message', (message) => {
      if (!messageNotifies(message) || seen.has(message.id)) return;
      seen.add(message.id);
      if (document.hasFocus() || Notification.permission !== 'granted') return;
      const ref = { communityId: message.communityId, peer: message.peer };
      const notification = new Notification(latest.current.titleOf(ref), { body: message.body.slice(0, 200), tag: conversationKey(ref) });
      notification.onclick = () => {
        window.focus();
        latest.current.onOpen(ref);
        notification.close();
      };
    });
  }, [api, enabled]);

  return {
    permission: enabled ? permission : 'unsupported',
    requestPermission: () => {
      if (supported()) void Notification.requestPermission().then(setPermission);
    },
  };
}
