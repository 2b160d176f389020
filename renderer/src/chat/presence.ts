/** How presence reads in the chat window. */
import type { Availability, ContactView } from '../../../electron/contract/contract.js';
import { conversationTitle } from '../../../electron/contract/room-words.js';

export const availabilityLabels: Record<Availability, string> = {
  available: 'Available',
  away: 'Away',
  dnd: 'Do not disturb',
  offline: 'Offline',
};

/** What the roster says under a contact's name. */
export function contactPresenceText(contact: ContactView): string {
  const seesPresence = contact.subscription === 'to' || contact.subscription === 'both';
  if (!seesPresence) return contact.askPending ? 'Waiting for them to accept' : 'Does not share their status';
  const words = availabilityLabels[contact.availability];
  return contact.status ? `${words} · ${contact.status}` : words;
}

/** A contact's name, or when they have none the address (an occupant writing privately through a room: "carol (in team)"). */
export function contactName(contact: Pick<ContactView, 'jid' | 'name'> | undefined, jid: string): string {
  return contact?.name?.trim() || conversationTitle(jid);
}
