/**
 * The roster and presence part of a session: the roster fetched before the initial presence,
 * kept current by the server's pushes; the user's own presence; contacts added, renamed, removed
 * and subscriptions answered; the presence of others passed on to the account.
 */
import type { SessionLink } from './session-link.js';
import { requireBareJid } from './stanzas/jid.js';
import { parsePresence, presence, subscription } from './stanzas/presence.js';
import type { Availability } from './stanzas/presence.js';
import { parseRosterPush, parseRosterResult, rosterGet, rosterRemove, rosterSet } from './stanzas/roster.js';
import type { RosterItem } from './stanzas/roster.js';
import type { Element } from './stanzas/xml.js';

export class RosterPresence {
  private readonly roster = new Map<string, RosterItem>();
  private availability: { availability: Availability; status?: string } = { availability: 'available' };

  constructor(
    private readonly account: string,
    private readonly link: SessionLink,
  ) {}

  items(): RosterItem[] {
    return [...this.roster.values()];
  }

  /** The whole roster, anew (RFC 6121 §2.2: before the initial presence, so that presence finds its contacts). */
  async fetch(timeoutMs?: number): Promise<void> {
    const roster = parseRosterResult(await this.link.request(rosterGet(), timeoutMs));
    if (roster.kind === 'ignored') return this.ignore(roster.reason);
    this.roster.clear();
    for (const item of roster.items) this.roster.set(item.jid, item);
    for (const reason of roster.skipped) this.ignore(reason);
    this.emitRoster();
  }

  /** The user's presence, as the initial presence of a fresh stream announces it. */
  initialPresence(): Element {
    return presence(this.availability);
  }

  async setPresence(availability: Availability, status?: string): Promise<void> {
    this.availability = { availability, ...(status ? { status } : {}) };
    await this.link.client?.send(presence(this.availability));
  }

  /** Adds the contact and asks to see their presence. */
  async addContact(jid: string, name?: string, groups?: string[]): Promise<void> {
    const contact = requireBareJid(jid);
    await this.link.request(rosterSet({ jid: contact, ...(name ? { name } : {}), ...(groups ? { groups } : {}) }));
    await this.live().send(subscription({ to: contact, type: 'subscribe' }));
  }

  async renameContact(jid: string, name: string): Promise<void> {
    const contact = requireBareJid(jid);
    await this.link.request(rosterSet({ jid: contact, name, groups: this.roster.get(contact)?.groups ?? [] }));
  }

  async removeContact(jid: string): Promise<void> {
    await this.link.request(rosterRemove(requireBareJid(jid)));
  }

  async answerSubscriptionRequest(jid: string, accept: boolean): Promise<void> {
    await this.live().send(subscription({ to: requireBareJid(jid), type: accept ? 'subscribed' : 'unsubscribed' }));
  }

  handlePresence(stanza: Element): void {
    const parsed = parsePresence(stanza);
    if (parsed.kind === 'ignored') this.ignore(parsed.reason);
    else if (parsed.kind === 'presence') this.link.emit({ type: 'presence', from: parsed.from, availability: parsed.availability, status: parsed.status });
    else if (parsed.kind === 'subscription') this.link.emit({ type: 'subscription', from: parsed.from, request: parsed.type });
  }

  /**
   * A roster push, applied; `answer` acknowledges it. RFC 6121 §2.1.6: a push from anyone else is
   * ignored, not answered.
   */
  async handlePush(iq: Element, answer: () => Promise<void>): Promise<void> {
    const push = parseRosterPush(iq, this.account);
    if (push.kind === 'ignored') return this.ignore(push.reason);
    if (push.kind === 'roster-push') this.roster.set(push.item.jid, push.item);
    else this.roster.delete(push.jid);
    this.emitRoster();
    await answer();
  }

  private live() {
    const { client } = this.link;
    if (!client) throw new Error('the account is not connected');
    return client;
  }

  private emitRoster(): void {
    this.link.emit({ type: 'roster', items: this.items() });
  }

  private ignore(reason: string): void {
    this.link.emit({ type: 'ignored', reason });
  }
}
