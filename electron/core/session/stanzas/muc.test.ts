import { describe, expect, it } from 'vitest';

import { mentions, parseDiscoItems, parseGroupchat, parseInvitation, parseRoomPresence } from './muc.js';
import { parseXml } from './xml.js';

const room = 'team@rooms.example.org';

describe('mentions', () => {
  it('finds a nickname as a word of its own, whatever its case, and not inside another word', () => {
    expect(mentions('Bob: lunch?', 'bob')).toBe(true);
    expect(mentions('thanks @bob!', 'Bob')).toBe(true);
    expect(mentions('Bobby is here', 'Bob')).toBe(false);
    expect(mentions('ask b.o.b', 'b.o.b')).toBe(true);
    expect(mentions('ask bxoxb', 'b.o.b')).toBe(false);
  });
});

describe('parseRoomPresence', () => {
  it('reads the user’s own presence, and a new room waiting for its configuration', () => {
    const presence = parseXml(
      `<presence from="${room}/Alice"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="owner" role="moderator"/><status code="110"/><status code="201"/></x></presence>`,
    )!;
    expect(parseRoomPresence(presence)).toMatchObject({ kind: 'occupant', room, nick: 'Alice', present: true, role: 'moderator', affiliation: 'owner', self: true, created: true });
  });

  it('reads a refusal, and leaves a presence that is no room’s alone', () => {
    const refused = parseXml(`<presence from="${room}/Alice" type="error"><error type="cancel"><conflict xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></presence>`)!;
    expect(parseRoomPresence(refused)).toEqual({ kind: 'join-refused', room, nick: 'Alice', condition: 'conflict' });
    expect(parseRoomPresence(parseXml('<presence from="bob@example.org/phone"/>')!)).toBeNull();
  });
});

describe('parseGroupchat', () => {
  it('trusts only the room’s own archive id, and reads a subject without a body as the topic', () => {
    const message = parseXml(
      `<message from="${room}/Bob" type="groupchat"><body>hi</body><stanza-id xmlns="urn:xmpp:sid:0" by="mallory@example.org" id="forged"/><stanza-id xmlns="urn:xmpp:sid:0" by="${room}" id="r-7"/></message>`,
    )!;
    expect(parseGroupchat(message)).toMatchObject({ kind: 'room-message', nick: 'Bob', body: 'hi', stanzaId: 'r-7' });
    expect(parseGroupchat(parseXml(`<message from="${room}/Bob" type="groupchat"><subject>Plans</subject></message>`)!)).toEqual({ kind: 'room-subject', room, nick: 'Bob', subject: 'Plans' });
  });
});

describe('parseInvitation', () => {
  it('reads a mediated invitation and a direct one', () => {
    const mediated = parseXml(`<message from="${room}"><x xmlns="http://jabber.org/protocol/muc#user"><invite from="bob@example.org/desk"><reason>plans</reason></invite></x></message>`)!;
    expect(parseInvitation(mediated)).toEqual({ kind: 'room-invitation', room, from: 'bob@example.org', reason: 'plans', password: null });
    const direct = parseXml(`<message from="bob@example.org/desk"><x xmlns="jabber:x:conference" jid="${room}" reason="join us"/></message>`)!;
    expect(parseInvitation(direct)).toEqual({ kind: 'room-invitation', room, from: 'bob@example.org', reason: 'join us', password: null });
  });
});

describe('parseDiscoItems', () => {
  it('lists the items with a bare JID', () => {
    const iq = parseXml(`<iq type="result"><query xmlns="http://jabber.org/protocol/disco#items"><item jid="${room}" name="Team"/><item jid="odd@rooms.example.org/nick"/></query></iq>`)!;
    expect(parseDiscoItems(iq)).toEqual([{ jid: room, name: 'Team' }]);
  });
});
