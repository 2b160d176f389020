/**
 * What the contact list shows for one account: the roster, each contact's presence (the most
 * available of their signed-in devices) and the subscription requests waiting for an answer.
 * What others send is bounded here: only the roster's presence is kept, and so many of the rest.
 * It notes which contacts and requests changed, so the UI is told those alone (`takeDelta`).
 */
import type { Availability, ContactView, RosterDelta, RosterView } from '../../contract/contract.js';
import { bareJid, bareJidOf, parseJid } from '../session/stanzas/jid.js';
import type { SubscriptionRequest } from '../session/stanzas/presence.js';
import type { RosterItem } from '../session/stanzas/roster.js';
import type { LetGo } from './let-go.js';

/** Requests kept waiting for an answer, the newest: more than anyone answers one by one, and a flood stays a list the UI can show. */
export const maxContactRequests = 100;
/** Devices kept per contact, the latest heard: people sign in on a handful, and one contact's flood of resources stays small. */
export const maxDevicesPerContact = 10;

interface DevicePresence {
  availability: Availability;
  status: string | null;
}

const availabilityRank: Record<Availability, number> = { available: 3, dnd: 2, away: 1, offline: 0 };

export class ContactBook {
  /** By bare JID, in the server's order. */
  private roster = new Map<string, RosterItem>();
  /** Bare JID → resource → presence. */
  private devices = new Map<string, Map<string, DevicePresence>>();
  /**
   * While the stream is away: the presence known when it went, kept up to date with what comes
   * since, for a resumed stream to carry on with (the server does not send it again on resume).
   */
  private suspended: Map<string, Map<string, DevicePresence>> | null = null;
  /** Oldest first. */
  private readonly requests = new Set<string>();
  /** Contacts whose view may have changed since the last delta (added, changed, removed). */
  private readonly changedContacts = new Set<string>();
  /** Requests that came or went since the last delta. */
  private readonly changedRequests = new Set<string>();

  constructor(private readonly letGo: Pick<LetGo, 'add'>) {}

  setRoster(items: RosterItem[]): void {
    const before = this.roster;
    this.roster = new Map(items.map((item) => [item.jid, item]));
    for (const jid of before.keys()) if (!this.roster.has(jid)) this.changedContacts.add(jid);
    for (const item of items) {
      const earlier = before.get(item.jid);
      if (!earlier || !sameItem(earlier, item)) this.changedContacts.add(item.jid);
    }
    for (const known of this.presenceMaps()) {
      for (const contact of known.keys()) if (!this.roster.has(contact)) known.delete(contact);
    }
  }

  has(jid: string): boolean {
    return this.roster.has(jid);
  }

  /**
   * From a full JID (a device) or a bare one (the server speaking for the account). Returns whether
   * it is a contact's: only theirs is shown, so only theirs is kept.
   */
  presence(from: string, presence: DevicePresence): boolean {
    const jid = parseJid(from);
    if (!jid) return false;
    const contact = bareJidOf(jid);
    if (!this.roster.has(contact)) return false;
    const resource = jid.resource ?? '';
    let letGo = false;
    for (const known of this.presenceMaps()) {
      const devices = known.get(contact) ?? new Map<string, DevicePresence>();
      // Heard now, it is the latest: the earliest heard gives way when there are too many.
      devices.delete(resource);
      if (presence.availability !== 'offline') devices.set(resource, presence);
      // A bare "unavailable" means every device is gone.
      else if (resource === '') devices.clear();
      const [earliest] = devices.keys();
      if (devices.size > maxDevicesPerContact && earliest !== undefined) {
        devices.delete(earliest);
        letGo = true;
      }
      known.set(contact, devices);
    }
    this.changedContacts.add(contact);
    if (letGo) this.letGo.add('devices', maxDevicesPerContact);
    return true;
  }

  /** Returns whether the request list changed. */
  subscription(from: string, request: SubscriptionRequest): boolean {
    const contact = bareJid(from);
    if (!contact) return false;
    if (request === 'subscribe') {
      if (this.requests.has(contact)) return false;
      this.requests.add(contact);
      this.changedRequests.add(contact);
      const [oldest] = this.requests;
      if (this.requests.size > maxContactRequests && oldest !== undefined) {
        this.withdrawRequest(oldest);
        this.letGo.add('contactRequests', maxContactRequests);
      }
      return true;
    }
    // They withdrew the request.
    if (request === 'unsubscribe') return this.withdrawRequest(contact);
    return false;
  }

  answered(jid: string): void {
    this.withdrawRequest(jid);
  }

  /** The stream went away: nobody's presence is known until the next stream says, or the stream is resumed. */
  suspendPresence(): void {
    for (const jid of this.devices.keys()) this.changedContacts.add(jid);
    this.suspended = this.devices;
    this.devices = new Map();
  }

  /** The stream was resumed: what was known of presence still holds, with whatever came since. */
  resumePresence(): void {
    if (!this.suspended) return;
    for (const jid of [...this.devices.keys(), ...this.suspended.keys()]) this.changedContacts.add(jid);
    this.devices = this.suspended;
    this.suspended = null;
  }

  /** A fresh stream: the server sends everyone's presence anew, so what was known before is gone for good. */
  startedAfresh(): void {
    this.suspended = null;
  }

  view(communityId: string): RosterView {
    return {
      communityId,
      contacts: [...this.roster.values()].map((item) => this.contactView(item)),
      requests: [...this.requests],
    };
  }

  /** What changed since the last delta, each contact and request at its latest; null when nothing did. */
  takeDelta(communityId: string): RosterDelta | null {
    if (this.changedContacts.size === 0 && this.changedRequests.size === 0) return null;
    const delta: RosterDelta = { communityId, upserted: [], removed: [], requestsAdded: [], requestsRemoved: [] };
    for (const jid of this.changedContacts) {
      const contact = this.contact(jid);
      if (contact) delta.upserted.push(contact);
      else delta.removed.push(jid);
    }
    for (const jid of this.changedRequests) (this.requests.has(jid) ? delta.requestsAdded : delta.requestsRemoved).push(jid);
    this.changedContacts.clear();
    this.changedRequests.clear();
    return delta;
  }

  contact(jid: string): ContactView | undefined {
    const item = this.roster.get(jid);
    return item && this.contactView(item);
  }

  /** Returns whether there was such a request. */
  private withdrawRequest(jid: string): boolean {
    if (!this.requests.delete(jid)) return false;
    this.changedRequests.add(jid);
    return true;
  }

  /** The presence to keep current: what is known now, and what a resumed stream would carry on with. */
  private presenceMaps(): Map<string, Map<string, DevicePresence>>[] {
    return this.suspended ? [this.devices, this.suspended] : [this.devices];
  }

  private contactView(item: RosterItem): ContactView {
    const best = [...(this.devices.get(item.jid)?.values() ?? [])].sort(
      (a, b) => availabilityRank[b.availability] - availabilityRank[a.availability],
    )[0];
    return {
      jid: item.jid,
      name: item.name,
      groups: item.groups,
      subscription: item.subscription,
      askPending: item.askPending,
      availability: best?.availability ?? 'offline',
      status: best?.status ?? null,
    };
  }
}

function sameItem(a: RosterItem, b: RosterItem): boolean {
  return a.name === b.name && a.subscription === b.subscription && a.askPending === b.askPending && a.groups.join('\n') === b.groups.join('\n');
}
