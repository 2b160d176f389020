/**
 * The roster and presence part of a session: the roster asked for before the initial presence
 * (and the presences that come before it held until it is in), kept current by the server's pushes; the user's own presence; contacts added, renamed, removed
 * and subscriptions answered; the presence of others passed on to the account.
 */
import type { SessionLink } from './session-link.js';
import { requireBareJid } from './stanzas/jid.js';
import { parsePresence, presence, subscription } from './stanzas/presence.js';
import type { Availability } from './stanzas/presence.js';
import { parseRosterPush, parseRosterResult, rosterGet, rosterRemove, rosterSet } from './stanzas/roster.js';
import type { RosterItem } from './stanzas/roster.js';
import type { Element } from './stanzas/xml.js';

/** Presences held while the roster is on its way, at most: a contact list of thousands, each with a few devices. */
const maxHeldPresences = 20_000;

export class RosterPresence {
  private readonly roster = new Map<string, RosterItem>();
  /** Presences that came while the roster was on its way (null: none is); the account knows its contacts by the roster. */
  private heldPresences: Element[] | null = null;
  private droppedWhileHeld = false;
  private availability: { availability: Availability; status?: string } = { availability: 'available' };

  constructor(
    private readonly account: string,
    private readonly link: SessionLink,
    /** What each available presence of the user's carries besides (entity capabilities, an avatar's hash). */
    private readonly extensions: () => Element[] = () => [],
  ) {}

  items(): RosterItem[] {
    return [...this.roster.values()];
  }

  /**
   * The whole roster, anew. It is asked for before the initial presence (RFC 6121 §2.2) but need
   * not be waited for: the presences that come before it are held, and passed on once it is in.
   */
  async fetch(timeoutMs?: number): Promise<void> {
    this.heldPresences = [];
    this.droppedWhileHeld = false;
    try {
      const roster = parseRosterResult(await this.link.request(rosterGet(), timeoutMs));
      if (roster.kind === 'ignored') return this.ignore(roster.reason);
      this.roster.clear();
      for (const item of roster.items) this.roster.set(item.jid, item);
      for (const reason of roster.skipped) this.ignore(reason);
      this.emitRoster();
    } finally {
      const held = this.heldPresences ?? [];
      this.heldPresences = null;
      for (const stanza of held) this.handlePresence(stanza);
    }
  }

  /** The user's presence, as the initial presence of a fresh stream announces it. */
  initialPresence(): Element {
    return presence(this.availability, this.extensions());
  }

  /** Tells the user's presence again, as it is (its extensions changed). */
  async announceAgain(): Promise<void> {
    await this.link.client?.send(this.initialPresence());
  }

  async setPresence(availability: Availability, status?: string): Promise<void> {
    this.availability = { availability, ...(status ? { status } : {}) };
    await this.link.client?.send(this.initialPresence());
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
    if (this.heldPresences) {
      if (this.heldPresences.length < maxHeldPresences) this.heldPresences.push(stanza);
      else if (!this.droppedWhileHeld) {
        this.droppedWhileHeld = true;
        this.ignore(`more than ${maxHeldPresences} presences came before the roster: the rest were dropped`);
      }
      return;
    }
    const parsed = parsePresence(stanza);
    if (parsed.kind === 'ignored') this.ignore(parsed.reason);
    else if (parsed.kind === 'presence') this.link.emit({ type: 'presence', from: parsed.from, availability: parsed.availability, status: parsed.status });
    else if (parsed.kind === 'subscription') {
      this.link.emit({ type: 'subscription', from: parsed.from, request: parsed.type });
      // Told again now that they see it: their server's PEP learns from it (by its caps) what to notify the user of.
      if (parsed.type === 'subscribed') void this.announceAgain().catch((error: unknown) => this.link.reportError(error));
    }
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
