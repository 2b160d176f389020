import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useMemo, useRef } from 'react';
import type { AccountView, Availability, ContactView, ConversationView, RosterView } from '../../../electron/contract/contract.js';
import { Avatar } from './avatars.js';
import { conversationKey, type ConversationRef } from './messagingState.js';
import { contactName, contactPresenceText } from './presence.js';

export const UNGROUPED = 'General';
export const NOT_IN_CONTACTS = 'Not in your contacts';

export interface RosterEntry {
  communityId: string;
  jid: string;
  /** null for someone who wrote but is not in the roster. */
  contact: ContactView | null;
  unread: number;
}

export interface RosterGroup {
  label: string;
  entries: RosterEntry[];
}

export interface RosterSection {
  communityId: string;
  /** The community's name, shown only when there is more than one. */
  label: string | null;
  groups: RosterGroup[];
}

const availabilityOrder: Record<Availability, number> = { available: 0, away: 1, dnd: 2, offline: 3 };
/** One collator for every comparison: thousands of contacts sort in milliseconds, not per-call locale lookups. */
const byName = new Intl.Collator(undefined, { sensitivity: 'base' });

function entryName(entry: RosterEntry): string {
  return contactName(entry.contact ?? undefined, entry.jid);
}

function compareEntries(a: RosterEntry, b: RosterEntry): number {
  const byPresence = availabilityOrder[a.contact?.availability ?? 'offline'] - availabilityOrder[b.contact?.availability ?? 'offline'];
  return byPresence || byName.compare(entryName(a), entryName(b));
}

function matches(entry: RosterEntry, query: string): boolean {
  if (query === '') return true;
  const haystack = [entry.jid, entry.contact?.name ?? '', entry.contact?.status ?? ''].join('\n').toLocaleLowerCase();
  return haystack.includes(query);
}

/**
 * The roster as the sidebar shows it: per community, named groups in alphabetical order, then
 * the contacts in no group, then people who wrote but are not contacts; in each, who is online
 * first, then by name. A search keeps the contacts whose name, address or status matches.
 */
export function rosterSections(
  accounts: readonly AccountView[],
  rosters: Readonly<Record<string, RosterView>>,
  conversations: Readonly<Record<string, ConversationView>>,
  search: string,
): RosterSection[] {
  const query = search.trim().toLocaleLowerCase();
  const sections: RosterSection[] = [];
  for (const account of accounts) {
    const { communityId } = account;
    const roster = rosters[communityId];
    const unreadOf = (jid: string) => conversations[conversationKey({ communityId, peer: jid })]?.unread ?? 0;
    const groups = new Map<string, RosterEntry[]>();
    const add = (label: string, entry: RosterEntry) => {
      const group = groups.get(label);
      if (group) group.push(entry);
      else groups.set(label, [entry]);
    };
    for (const contact of roster?.contacts ?? []) {
      const entry = { communityId, jid: contact.jid, contact, unread: unreadOf(contact.jid) };
      if (!matches(entry, query)) continue;
      const names = contact.groups.filter((group) => group.trim() !== '');
      for (const group of names.length > 0 ? names : [UNGROUPED]) add(group, entry);
    }
    const known = new Set(roster?.contacts.map(({ jid }) => jid));
    const strangers = Object.values(conversations)
      .filter((conversation) => conversation.communityId === communityId && !known.has(conversation.peer))
      .map((conversation) => ({ communityId, jid: conversation.peer, contact: null, unread: conversation.unread }))
      .filter((entry) => matches(entry, query));

    const named = [...groups.keys()].filter((label) => label !== UNGROUPED).sort(byName.compare);
    const ordered: RosterGroup[] = [...named, ...(groups.has(UNGROUPED) ? [UNGROUPED] : [])].map((label) => ({
      label,
      entries: (groups.get(label) ?? []).sort(compareEntries),
    }));
    if (strangers.length > 0) ordered.push({ label: NOT_IN_CONTACTS, entries: strangers.sort(compareEntries) });
    if (ordered.length > 0) sections.push({ communityId, label: accounts.length > 1 ? account.displayName : null, groups: ordered });
  }
  return sections;
}

/** A row of the virtual list: a community's name, a group's, or a contact. */
type RosterRow =
  | { kind: 'community'; key: string; label: string }
  | { kind: 'group'; key: string; label: string }
  | { kind: 'contact'; key: string; entry: RosterEntry; position: number };

/** The sections, one row each for what the list shows, in order; contacts numbered for assistive technology. */
function rosterRows(sections: readonly RosterSection[]): { rows: RosterRow[]; contacts: number } {
  const rows: RosterRow[] = [];
  let contacts = 0;
  for (const section of sections) {
    if (section.label !== null) rows.push({ kind: 'community', key: `community ${section.communityId}`, label: section.label });
    for (const group of section.groups) {
      rows.push({ kind: 'group', key: `group ${section.communityId} ${group.label}`, label: group.label });
      for (const entry of group.entries) rows.push({ kind: 'contact', key: `${section.communityId} ${group.label} ${entry.jid}`, entry, position: ++contacts });
    }
  }
  return { rows, contacts };
}

const rowHeights: Record<RosterRow['kind'], number> = { community: 32, group: 30, contact: 46 };

interface ContactButtonProps {
  entry: RosterEntry;
  selected: boolean;
  onOpen: (ref: ConversationRef) => void;
}

const ContactButton = memo(function ContactButton({ entry, selected, onOpen }: ContactButtonProps) {
  const name = entryName(entry);
  return (
    <button
      type="button"
      className="contact-button"
      aria-current={selected ? 'true' : undefined}
      title={entry.jid}
      onClick={() => onOpen({ communityId: entry.communityId, peer: entry.jid })}
    >
      <Avatar communityId={entry.communityId} jid={entry.jid} name={name}>
        <span className="presence-dot" />
      </Avatar>
      <span className="contact-text">
        <span className="contact-name">{name}</span>{' '}
        <span className="contact-status">{entry.contact ? contactPresenceText(entry.contact) : entry.jid}</span>
      </span>
      {entry.unread > 0 && (
        <span className="unread-badge">
          {' '}
          {entry.unread}
          <span className="visually-hidden"> unread</span>
        </span>
      )}
    </button>
  );
});

export interface RosterProps {
  accounts: readonly AccountView[];
  rosters: Readonly<Record<string, RosterView>>;
  conversations: Readonly<Record<string, ConversationView>>;
  search: string;
  selected: ConversationRef | null;
  onOpen: (ref: ConversationRef) => void;
}

/**
 * The contacts, grouped, with their presence, status text and unread counts. A virtual list: only
 * the rows in view (and a few either side) are in the page, however many contacts there are.
 */
export function Roster({ accounts, rosters, conversations, search, selected, onOpen }: RosterProps) {
  const sections = useMemo(() => rosterSections(accounts, rosters, conversations, search), [accounts, rosters, conversations, search]);
  const { rows, contacts } = useMemo(() => rosterRows(sections), [sections]);
  const scrollerRef = useRef<HTMLDivElement>(null);
  // The virtualizer's functions read its live state: this component is rightly left unmemoized by the React Compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollerRef.current,
    estimateSize: (index) => rowHeights[rows[index]?.kind ?? 'contact'],
    getItemKey: (index) => rows[index]?.key ?? index,
    overscan: 8,
  });
  const isSelected = (entry: RosterEntry) => selected !== null && selected.communityId === entry.communityId && selected.peer === entry.jid;
  const hasContacts = Object.values(rosters).some((roster) => roster.contacts.length > 0) || Object.keys(conversations).length > 0;
  return (
    <div className="roster" ref={scrollerRef}>
      <ul className="roster-list" aria-label="Contacts" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          const place = { 'data-index': item.index, ref: virtualizer.measureElement, style: { transform: `translateY(${item.start}px)` } };
          if (row.kind === 'contact') {
            const availability = row.entry.contact?.availability ?? 'offline';
            return (
              <li key={item.key} {...place} className={`contact presence-${availability}`} aria-setsize={contacts} aria-posinset={row.position}>
                <ContactButton entry={row.entry} selected={isSelected(row.entry)} onOpen={onOpen} />
              </li>
            );
          }
          return (
            <li key={item.key} {...place} role="presentation" className={`roster-${row.kind}`}>
              {row.kind === 'community' ? <h2>{row.label}</h2> : <h3>{row.label}</h3>}
            </li>
          );
        })}
      </ul>
      {sections.length === 0 && (
        <p className="roster-empty">{search.trim() !== '' && hasContacts ? `No contacts match “${search.trim()}”.` : 'No contacts yet. Add one with “Add contact”.'}</p>
      )}
    </div>
  );
}
