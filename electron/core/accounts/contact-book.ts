/**
 * What the contact list shows for one account: the roster, each contact's presence (the most
 * available of their signed-in devices) and the subscription requests waiting for an answer.
 */
import type { Availability, ContactView, RosterView } from '../../contract/contract.js';
import { bareJid, parseJid } from '../session/stanzas/jid.js';
import type { SubscriptionRequest } from '../session/stanzas/presence.js';
import type { RosterItem } from '../session/stanzas/roster.js';

interface DevicePresence {
  availability: Availability;
  status: string | null;
}

const availabilityRank: Record<Availability, number> = { available: 3, dnd: 2, away: 1, offline: 0 };

export class ContactBook {
  private roster: RosterItem[] = [];
  /** Bare JID → resource → presence. */
  private devices = new Map<string, Map<string, DevicePresence>>();
  /**
   * While the stream is away: the presence known when it went, kept up to date with what comes
   * since, for a resumed stream to carry on with (the server does not send it again on resume).
   */
  private suspended: Map<string, Map<string, DevicePresence>> | null = null;
  private readonly requests = new Set<string>();

  setRoster(items: RosterItem[]): void {
    this.roster = items;
  }

  /** From a full JID (a device) or a bare one (the server speaking for the account). */
  presence(from: string, presence: DevicePresence): void {
    const jid = parseJid(from);
    if (!jid) return;
    const contact = bareJid(from)!;
    const resource = jid.resource ?? '';
    for (const known of this.suspended ? [this.devices, this.suspended] : [this.devices]) {
      const devices = known.get(contact) ?? new Map<string, DevicePresence>();
      if (presence.availability === 'offline') {
        // A bare "unavailable" means every device is gone.
        if (resource === '') devices.clear();
        else devices.delete(resource);
      } else devices.set(resource, presence);
      known.set(contact, devices);
    }
  }

  /** Returns whether the request list changed. */
  subscription(from: string, request: SubscriptionRequest): boolean {
    const contact = bareJid(from);
    if (!contact) return false;
    if (request === 'subscribe') {
      if (this.requests.has(contact)) return false;
      this.requests.add(contact);
      return true;
    }
    // They withdrew the request.
    if (request === 'unsubscribe') return this.requests.delete(contact);
    return false;
  }

  answered(jid: string): void {
    this.requests.delete(jid);
  }

  /** The stream went away: nobody's presence is known until the next stream says, or the stream is resumed. */
  suspendPresence(): void {
    this.suspended = this.devices;
    this.devices = new Map();
  }

  /** The stream was resumed: what was known of presence still holds, with whatever came since. */
  resumePresence(): void {
    if (!this.suspended) return;
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
      contacts: this.roster.map((item) => this.contact(item)),
      requests: [...this.requests],
    };
  }

  private contact(item: RosterItem): ContactView {
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
