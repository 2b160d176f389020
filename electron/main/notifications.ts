/**
 * Desktop notifications in Electron: one for each new inbound message (in a room, one that names
 * the user) while no Burrow window
 * has the focus. (Browser mode notifies from the page instead; the renderer does not notify in
 * Electron, so nothing is shown twice.) A click brings the chat window forward.
 */
import { BrowserWindow, Notification } from 'electron';
import { messageNotifies } from '../contract/room-words.js';
import type { EventHub } from '../core/events.js';

const REMEMBERED_MESSAGES = 1000;
const BODY_PREVIEW = 200;

export interface NotificationDeps {
  events: EventHub;
  /** Shows (or creates) the chat window. */
  openChat: () => BrowserWindow;
}

export function installNotifications({ events, openChat }: NotificationDeps): () => void {
  /** Contact names by "communityId jid", from what the rosters tell as they change. */
  const names = new Map<string, string>();
  /** A message is news once: later state updates or repeats of the same id are not. */
  const seen = new Set<string>();
  /** Electron drops a notification's click handler once the object is collected: hold on until it is done. */
  const shown = new Set<Notification>();

  const stopNames = events.on('roster:delta', ({ communityId, upserted, removed }) => {
    for (const { jid, name } of upserted) {
      if (name?.trim()) names.set(`${communityId} ${jid}`, name.trim());
      else names.delete(`${communityId} ${jid}`);
    }
    for (const jid of removed) names.delete(`${communityId} ${jid}`);
  });

  const stopMessages = events.on('chat:message', (message) => {
    if (!messageNotifies(message)) return;
    const id = `${message.communityId} ${message.peer} ${message.id}`;
    if (seen.has(id)) return;
    seen.add(id);
    if (seen.size > REMEMBERED_MESSAGES) seen.delete(seen.values().next().value as string);

    if (BrowserWindow.getFocusedWindow() !== null || !Notification.isSupported()) return;
    const notification = new Notification({
      title: names.get(`${message.communityId} ${message.peer}`) ?? message.peer,
      body: message.body.length > BODY_PREVIEW ? `${message.body.slice(0, BODY_PREVIEW)}…` : message.body,
    });
    const done = () => shown.delete(notification);
    notification.on('click', () => {
      done();
      const window = openChat();
      if (window.isMinimized()) window.restore();
      window.show();
      window.focus();
    });
    notification.on('close', done);
    shown.add(notification);
    notification.show();
  });

  return () => {
    stopNames();
    stopMessages();
    for (const notification of shown) notification.close();
    shown.clear();
  };
}
