/** The roster (RFC 6121 §2): get, set, remove, and the server's pushes. */
import { bareJid, bareJidOf, parseJid } from './jid.js';
import { NS_ROSTER } from './namespaces.js';
import { ignored } from './parsed.js';
import type { Ignored } from './parsed.js';
import { xml } from './xml.js';
import type { Element } from './xml.js';

export const subscriptionStates = ['none', 'to', 'from', 'both'] as const;
export type SubscriptionState = (typeof subscriptionStates)[number];

export interface RosterItem {
  jid: string;
  name: string | null;
  subscription: SubscriptionState;
  /** A subscription request of ours is pending. */
  askPending: boolean;
  groups: string[];
}

export function rosterGet(): Element {
  return xml('iq', { type: 'get' }, xml('query', { xmlns: NS_ROSTER }));
}

/** Adds or renames a contact, or changes its groups. */
export function rosterSet({ jid, name, groups = [] }: { jid: string; name?: string; groups?: string[] }): Element {
  const groupElements = groups.map((group) => xml('group', {}, group));
  return xml('iq', { type: 'set' }, xml('query', { xmlns: NS_ROSTER }, xml('item', { jid, name }, ...groupElements)));
}

export function rosterRemove(jid: string): Element {
  return xml('iq', { type: 'set' }, xml('query', { xmlns: NS_ROSTER }, xml('item', { jid, subscription: 'remove' })));
}

export interface Roster {
  kind: 'roster';
  items: RosterItem[];
  /** Why items were left out; the rest of the roster is still usable. */
  skipped: string[];
}

export function parseRosterResult(iq: Element): Roster | Ignored {
  if (!iq.is('iq') || iq.attrs.type !== 'result') return ignored('expected an iq result to the roster get');
  const query = iq.getChild('query', NS_ROSTER);
  // RFC 6121 §2.6.3: an empty result means the cached roster is current; Burrow caches none.
  if (!query) return { kind: 'roster', items: [], skipped: [] };
  const roster: Roster = { kind: 'roster', items: [], skipped: [] };
  for (const element of query.getChildElements()) {
    const item = parseItem(element);
    if (item.kind === 'ignored') roster.skipped.push(item.reason);
    else if (item.kind === 'item') roster.items.push(item.item);
    else roster.skipped.push(`${item.jid} is marked as removed in a roster result`);
  }
  return roster;
}

export type RosterPush = { kind: 'roster-push'; item: RosterItem } | { kind: 'roster-removal'; jid: string };

/**
 * A push counts only from the user's account itself: no from, or the bare JID (RFC 6121 §2.1.6).
 * Anyone else could otherwise rewrite the contact list — another of the user's own resources too,
 * which is a client, not the server.
 */
export function parseRosterPush(iq: Element, ownBareJid: string): RosterPush | Ignored {
  if (!iq.is('iq') || iq.attrs.type !== 'set') return ignored('a roster push is an iq set');
  const query = iq.getChild('query', NS_ROSTER);
  if (!query) return ignored('not a roster iq');
  if (iq.attrs.from !== undefined && !isBareJidOf(iq.attrs.from, ownBareJid)) {
    return ignored(`a roster push from ${iq.attrs.from}, not from the user's own account`);
  }
  const elements = query.getChildElements();
  const [element] = elements;
  if (!element || elements.length !== 1) return ignored(`a roster push carries exactly one item, not ${elements.length}`);
  const parsed = parseItem(element);
  if (parsed.kind === 'ignored') return parsed;
  return parsed.kind === 'item' ? { kind: 'roster-push', item: parsed.item } : { kind: 'roster-removal', jid: parsed.jid };
}

function isBareJidOf(from: string, ownBareJid: string): boolean {
  const jid = parseJid(from);
  return jid !== null && jid.resource === null && bareJidOf(jid) === ownBareJid;
}

function parseItem(element: Element): { kind: 'item'; item: RosterItem } | { kind: 'removed'; jid: string } | Ignored {
  if (!element.is('item')) return ignored(`unexpected <${element.name}> in the roster`);
  const jid = bareJid(element.attrs.jid);
  if (!jid) return ignored(`a roster item with an invalid JID ${JSON.stringify(element.attrs.jid ?? null)}`);
  const given = element.attrs.subscription ?? 'none';
  if (given === 'remove') return { kind: 'removed', jid };
  const subscription = subscriptionStates.find((state) => state === given);
  if (!subscription) return ignored(`${jid} has an unknown subscription ${JSON.stringify(given)}`);
  const groups = element
    .getChildElements()
    .filter((child) => child.is('group'))
    .map((group) => group.text().trim())
    .filter((group) => group !== '');
  return {
    kind: 'item',
    item: { jid, name: element.attrs.name || null, subscription, askPending: element.attrs.ask === 'subscribe', groups: [...new Set(groups)] },
  };
}
