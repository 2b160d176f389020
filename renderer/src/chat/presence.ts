/** How presence reads in the chat window. */
import type { Availability, ContactView } from '../../../electron/contract/contract.js';

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

/** A contact's name, or the address when they have none. */
export function contactName(contact: Pick<ContactView, 'jid' | 'name'> | undefined, jid: string): string {
  return contact?.name?.trim() || jid;
}
