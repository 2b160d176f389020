/**
 * An in-process stand-in for `createXmppClient`'s result, enough for the session: it records what
 * is sent, lets a test deliver stanzas, and signs in fresh, resumes, or fails as told.
 */
import { EventEmitter } from 'node:events';

import type { SessionClient } from '../session.js';
import { parseXml } from '../stanzas/xml.js';
import type { Element } from '../stanzas/xml.js';

export type IqResponder = (iq: Element) => Element | Promise<Element>;

export class FakeClient {
  readonly sent: Element[] = [];
  readonly requests: Element[] = [];
  readonly entity = Object.assign(new EventEmitter(), {
    jid: null as { toString(): string } | null,
    send: async (stanza: Element) => {
      if (this.connectionLost) throw new Error('the connection is lost');
      this.sent.push(stanza);
      if (this.streamManagement.enabled && ['message', 'presence', 'iq'].includes(stanza.name)) {
        this.streamManagement.outbound_q.push({ stanza, stamp: '2026-11-22T10:00:00Z' });
      }
    },
    stop: async () => {},
  });
  readonly streamManagement = Object.assign(new EventEmitter(), {
    enabled: false,
    enableSent: false,
    id: '',
    inbound: 0,
    outbound: 0,
    outbound_q: [] as { stanza: Element; stamp: string }[],
    requestAckInterval: 30_000,
    timeout: 60_000,
  });
  /** What the server answers to iq requests; the default knows the roster, carbons and an empty archive. */
  respond: IqResponder = defaultResponder;
  connectionLost = false;
  dropped = false;
  /** Like xmpp.js, go online with `<enable/>` sent but unanswered, until `answerEnable`. */
  answersEnableLater = false;

  constructor(private readonly signIn: 'fresh' | 'resumed' | { fails: string } = 'fresh') {}

  get iqCaller(): SessionClient['iqCaller'] {
    return {
      request: async (iq) => {
        this.requests.push(iq);
        return this.respond(iq);
      },
    };
  }

  async authenticate(): Promise<void> {
    if (typeof this.signIn === 'object') throw new Error(this.signIn.fails);
    this.streamManagement.enableSent = true;
    this.streamManagement.enabled = !this.answersEnableLater;
    if (this.signIn === 'fresh') {
      this.streamManagement.id = 'stream-2';
      this.streamManagement.outbound_q = [];
      this.entity.jid = { toString: () => 'alice@example.org/fresh' };
      return;
    }
    this.streamManagement.emit('resumed');
    // Like xmpp.js, a resumed stream never reports 'online'.
    await new Promise(() => {});
  }

  drop(): void {
    this.dropped = true;
    this.entity.emit('disconnect');
  }

  answerEnable(): void {
    this.streamManagement.enabled = true;
    this.entity.emit('nonza', parseXml('<enabled xmlns="urn:xmpp:sm:3" id="stream-2" resume="true"/>'));
  }

  /** The server acknowledges the oldest `count` unacknowledged stanzas, as `<a h/>` does. */
  acknowledge(count: number): void {
    for (const { stanza } of this.streamManagement.outbound_q.splice(0, count)) this.streamManagement.emit('ack', stanza);
  }

  deliver(text: string): void {
    this.entity.emit('stanza', parseXml(text));
  }

  sentText(): string[] {
    return this.sent.map((stanza) => stanza.toString());
  }

  sentMessages(): { to: string | undefined; body: string | null; originId: string | undefined }[] {
    return this.sent
      .filter((stanza) => stanza.is('message') && stanza.getChild('body'))
      .map((stanza) => ({ to: stanza.attrs.to, body: stanza.getChildText('body'), originId: stanza.attrs.id }));
  }
}

function defaultResponder(iq: Element): Element {
  const [query] = iq.getChildElements();
  if (query?.attrs.xmlns === 'jabber:iq:roster' && iq.attrs.type === 'get') {
    return parseXml('<iq type="result"><query xmlns="jabber:iq:roster"><item jid="bob@example.org" name="Bob" subscription="both"/></query></iq>')!;
  }
  if (query?.attrs.xmlns === 'urn:xmpp:mam:2') return parseXml('<iq type="result"><fin xmlns="urn:xmpp:mam:2" complete="true"/></iq>')!;
  return parseXml('<iq type="result"/>')!;
}
