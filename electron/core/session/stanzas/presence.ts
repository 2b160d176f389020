/** Presence and subscriptions (RFC 6121 §3–4). */
import { fullJidOf, parseJid } from './jid.js';
import { ignored } from './parsed.js';
import type { Ignored } from './parsed.js';
import { xml } from './xml.js';
import type { Element } from './xml.js';

/** What the user can choose; "offline" is unavailable presence. */
export const availabilities = ['available', 'away', 'dnd', 'offline'] as const;
export type Availability = (typeof availabilities)[number];

/** `extensions`: what an available presence also carries (entity capabilities, an avatar's hash). */
export function presence({ availability, status }: { availability: Availability; status?: string }, extensions: Element[] = []): Element {
  const statusElement = status ? xml('status', {}, status) : undefined;
  if (availability === 'offline') return xml('presence', { type: 'unavailable' }, statusElement);
  return xml('presence', {}, availability === 'available' ? undefined : xml('show', {}, availability), statusElement, ...extensions);
}

export const subscriptionRequests = ['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed'] as const;
export type SubscriptionRequest = (typeof subscriptionRequests)[number];

/** Ask (subscribe), accept (subscribed), deny or revoke (unsubscribed), stop following (unsubscribe). */
export function subscription({ to, type }: { to: string; type: SubscriptionRequest }): Element {
  return xml('presence', { to, type });
}

export interface PresenceUpdate {
  kind: 'presence';
  from: string;
  availability: Availability;
  status: string | null;
}

export interface SubscriptionUpdate {
  kind: 'subscription';
  /** Subscriptions are between bare JIDs. */
  from: string;
  type: SubscriptionRequest;
}

export interface PresenceError {
  kind: 'presence-error';
  from: string;
}

export function parsePresence(stanza: Element): PresenceUpdate | SubscriptionUpdate | PresenceError | Ignored {
  if (!stanza.is('presence')) return ignored(`expected a presence, got <${stanza.name}>`);
  const sender = parseJid(stanza.attrs.from);
  if (!sender) return ignored(`the presence has no valid sender (from=${JSON.stringify(stanza.attrs.from ?? null)})`);
  const type = stanza.attrs.type;
  const status = stanza.getChildText('status');
  if (type === undefined) return { kind: 'presence', from: fullJidOf(sender), availability: availabilityOf(stanza.getChildText('show')), status };
  if (type === 'unavailable') return { kind: 'presence', from: fullJidOf(sender), availability: 'offline', status };
  if (type === 'error') return { kind: 'presence-error', from: fullJidOf(sender) };
  const request = subscriptionRequests.find((candidate) => candidate === type);
  if (!request) return ignored(`unknown presence type ${JSON.stringify(type)}`);
  return { kind: 'subscription', from: fullJidOf({ ...sender, resource: null }), type: request };
}

/** "Extended away" reads as away and "free for chat" as available: Burrow offers only these. */
function availabilityOf(show: string | null): Availability {
  switch (show?.trim()) {
    case 'away':
    case 'xa':
      return 'away';
    case 'dnd':
      return 'dnd';
    default:
      return 'available';
  }
}
