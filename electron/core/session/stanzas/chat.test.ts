import { describe, expect, it } from 'vitest';

import { MAX_BODY_LENGTH } from '../../../contract/contract.js';
import { chatMessage, chatStateNotification, conversationWith, parseMessage, receipt } from './chat.js';
import { parseXml } from './xml.js';

const me = 'alice@example.org';
const parse = (text: string) => parseMessage(parseXml(text)!, me);

describe('outgoing chat stanzas', () => {
  it('builds a chat message whose id is its origin-id, asking for a receipt and saying the sender is active', () => {
    expect(chatMessage({ to: 'bob@example.org', body: 'hi <3', originId: 'o-1' }).toString()).toBe(
      '<message type="chat" to="bob@example.org" id="o-1"><body>hi &lt;3</body>' +
        '<origin-id xmlns="urn:xmpp:sid:0" id="o-1"/><request xmlns="urn:xmpp:receipts"/>' +
        '<active xmlns="http://jabber.org/protocol/chatstates"/></message>',
    );
  });

  it('builds a correction naming the message it replaces by its id (XEP-0308)', () => {
    expect(chatMessage({ to: 'bob@example.org', body: 'hi <3!', originId: 'o-2', replaces: 'o-1' }).toString()).toBe(
      '<message type="chat" to="bob@example.org" id="o-2"><body>hi &lt;3!</body>' +
        '<origin-id xmlns="urn:xmpp:sid:0" id="o-2"/><replace xmlns="urn:xmpp:message-correct:0" id="o-1"/><request xmlns="urn:xmpp:receipts"/>' +
        '<active xmlns="http://jabber.org/protocol/chatstates"/></message>',
    );
  });

  it('builds a receipt naming the confirmed message', () => {
    expect(receipt({ to: 'bob@example.org/phone', receivedId: 'm-7' }).toString()).toBe(
      '<message to="bob@example.org/phone"><received xmlns="urn:xmpp:receipts" id="m-7"/><store xmlns="urn:xmpp:hints"/></message>',
    );
  });

  it.each(['composing', 'paused', 'active'] as const)('builds a %s chat state that the archive does not keep', (state) => {
    expect(chatStateNotification({ to: 'bob@example.org', state }).toString()).toBe(
      `<message type="chat" to="bob@example.org"><${state} xmlns="http://jabber.org/protocol/chatstates"/><no-store xmlns="urn:xmpp:hints"/></message>`,
    );
  });
});

describe('parseMessage', () => {
  it('reads a chat message with its ids, receipt request and chat state', () => {
    expect(
      parse(
        `<message from="Bob@Example.org/phone" to="alice@example.org/desk" type="chat" id="m-1">
           <body>hello</body><origin-id xmlns="urn:xmpp:sid:0" id="o-9"/>
           <stanza-id xmlns="urn:xmpp:sid:0" by="alice@example.org" id="s-42"/>
           <request xmlns="urn:xmpp:receipts"/><active xmlns="http://jabber.org/protocol/chatstates"/></message>`,
      ),
    ).toEqual({
      kind: 'chat',
      from: 'bob@example.org/phone',
      to: 'alice@example.org/desk',
      id: 'm-1',
      body: 'hello',
      originId: 'o-9',
      stanzaId: 's-42',
      requestsReceipt: true,
      chatState: 'active',
      delayedFrom: null,
      replaces: null,
      privateInRoom: false,
    });
  });

  it('reads a private message through a room (XEP-0045 §7.5) as chat with the occupant, and one from the room itself as none', () => {
    const occupant = parse(
      '<message from="team@rooms.example.org/carol" to="alice@example.org/desk" type="chat" id="p-1"><body>just to you</body><x xmlns="http://jabber.org/protocol/muc#user"/></message>',
    );
    expect(occupant).toMatchObject({ kind: 'chat', from: 'team@rooms.example.org/carol', privateInRoom: true });
    expect(conversationWith('Team@rooms.example.org/carol', occupant as { privateInRoom: boolean })).toBe('team@rooms.example.org/carol');
    expect(conversationWith('bob@example.org/phone', { privateInRoom: false })).toBe('bob@example.org');
    expect(parse('<message from="team@rooms.example.org" type="chat"><body>the room speaks</body><x xmlns="http://jabber.org/protocol/muc#user"/></message>')).toMatchObject({ privateInRoom: false });
  });

  it('marks a message to a room’s occupant as private through the room, and one to a bare JID as not', () => {
    const toOccupant = chatMessage({ to: 'team@rooms.example.org/carol', body: 'hi', originId: 'o-1' });
    expect(toOccupant.getChild('x', 'http://jabber.org/protocol/muc#user')).toBeDefined();
    expect(chatMessage({ to: 'bob@example.org', body: 'hi', originId: 'o-2' }).getChild('x', 'http://jabber.org/protocol/muc#user')).toBeUndefined();
  });

  it('reads which message a correction replaces (XEP-0308)', () => {
    expect(
      parse(`<message from="bob@example.org/phone" type="chat" id="m-2"><body>hello, world</body><replace xmlns="urn:xmpp:message-correct:0" id="m-1"/></message>`),
    ).toMatchObject({ kind: 'chat', id: 'm-2', body: 'hello, world', replaces: 'm-1' });
  });

  it('takes a body as long as Burrow sends, and refuses a longer one with the reason', () => {
    const chat = (body: string) => parse(`<message from="bob@example.org/phone" type="chat"><body>${body}</body></message>`);
    expect(chat('é'.repeat(MAX_BODY_LENGTH))).toMatchObject({ kind: 'chat', body: 'é'.repeat(MAX_BODY_LENGTH) });
    expect(chat('é'.repeat(MAX_BODY_LENGTH + 1))).toEqual({
      kind: 'ignored',
      reason: 'a message from bob@example.org/phone of 10,001 characters, over the 10,000 Burrow takes',
    });
  });

  it('reads when a message held back by the server was sent, and ignores a garbled time', () => {
    const held = (stamp: string) => parse(`<message from="bob@example.org" type="chat"><body>x</body><delay xmlns="urn:xmpp:delay" stamp="${stamp}"/></message>`);
    expect(held('2026-11-21T08:00:00+01:00')).toMatchObject({ delayedFrom: '2026-11-21T07:00:00.000Z' });
    expect(held('yesterday')).toMatchObject({ delayedFrom: null });
  });

  it('trusts only the stanza-id stamped by the user’s own archive', () => {
    const parsed = parse(
      `<message from="bob@example.org/phone" type="chat"><body>x</body>
         <stanza-id xmlns="urn:xmpp:sid:0" by="bob@example.org" id="forged"/></message>`,
    );
    expect(parsed).toMatchObject({ kind: 'chat', stanzaId: null, originId: null, requestsReceipt: false });
  });

  it('reads a receipt and a bare chat state', () => {
    expect(parse('<message from="bob@example.org/phone"><received xmlns="urn:xmpp:receipts" id="o-1"/></message>')).toEqual({
      kind: 'receipt',
      from: 'bob@example.org/phone',
      receivedId: 'o-1',
      privateInRoom: false,
    });
    expect(parse('<message from="bob@example.org/phone" type="chat"><composing xmlns="http://jabber.org/protocol/chatstates"/></message>')).toEqual({
      kind: 'chat-state',
      from: 'bob@example.org/phone',
      state: 'composing',
      privateInRoom: false,
    });
  });

  it('reads a bounce with its error condition, so the message can be marked failed', () => {
    expect(
      parse(
        `<message from="bob@example.org" type="error" id="o-1"><error type="cancel">
           <service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/>
           <text xmlns="urn:ietf:params:xml:ns:xmpp-stanzas">gone</text></error></message>`,
      ),
    ).toEqual({ kind: 'bounce', from: 'bob@example.org', id: 'o-1', condition: 'service-unavailable', text: 'gone' });
  });

  it.each([
    ['<iq from="bob@example.org" type="get"/>', 'expected a message, got <iq>'],
    ['<message type="chat"><body>x</body></message>', 'the message has no valid sender (from=null)'],
    ['<message from="@example.org" type="chat"><body>x</body></message>', 'the message has no valid sender (from="@example.org")'],
    ['<message from="bob@example.org"><received xmlns="urn:xmpp:receipts"/></message>', 'a receipt without the id of the message it confirms'],
    ['<message from="bob@example.org" type="error"/>', 'an error message that does not say which message bounced'],
    ['<message from="room@muc.example.org/bob" type="groupchat"><body>x</body></message>', 'groupchat messages are not one-to-one chat'],
    ['<message from="bob@example.org"><thread>t</thread></message>', 'a message with no body, receipt or chat state'],
  ])('ignores %s with a reason', (text, reason) => {
    expect(parse(text)).toEqual({ kind: 'ignored', reason });
  });
});
