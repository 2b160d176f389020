import { describe, expect, it } from 'vitest';

import { parsePresence, presence, subscription } from './presence.js';
import { parseXml, xml } from './xml.js';

describe('outgoing presence', () => {
  it.each([
    [{ availability: 'available' as const }, '<presence/>'],
    [{ availability: 'away' as const, status: 'lunch' }, '<presence><show>away</show><status>lunch</status></presence>'],
    [{ availability: 'dnd' as const }, '<presence><show>dnd</show></presence>'],
    [{ availability: 'offline' as const, status: 'bye' }, '<presence type="unavailable"><status>bye</status></presence>'],
  ])('builds %j', (options, expected) => {
    expect(presence(options).toString()).toBe(expected);
  });

  it('carries its extensions when available, and none when unavailable', () => {
    const caps = xml('c', { xmlns: 'http://jabber.org/protocol/caps', hash: 'sha-1', node: 'n', ver: 'v' });
    expect(presence({ availability: 'away' }, [caps]).toString()).toBe('<presence><show>away</show><c xmlns="http://jabber.org/protocol/caps" hash="sha-1" node="n" ver="v"/></presence>');
    expect(presence({ availability: 'offline' }, [caps]).toString()).toBe('<presence type="unavailable"/>');
  });

  it.each(['subscribe', 'subscribed', 'unsubscribed'] as const)('builds a %s request', (type) => {
    expect(subscription({ to: 'bob@example.org', type }).toString()).toBe(`<presence to="bob@example.org" type="${type}"/>`);
  });
});

describe('parsePresence', () => {
  it.each([
    ['<presence from="bob@example.org/phone"/>', 'available', null],
    ['<presence from="bob@example.org/phone"><show>chat</show></presence>', 'available', null],
    ['<presence from="bob@example.org/phone"><show>xa</show><status>away for days</status></presence>', 'away', 'away for days'],
    ['<presence from="bob@example.org/phone"><show>dnd</show></presence>', 'dnd', null],
    ['<presence from="bob@example.org/phone" type="unavailable"/>', 'offline', null],
  ])('reads %s', (text, availability, status) => {
    expect(parsePresence(parseXml(text)!)).toEqual({ kind: 'presence', from: 'bob@example.org/phone', availability, status });
  });

  it('reads a subscription request as coming from the bare JID', () => {
    expect(parsePresence(parseXml('<presence from="bob@example.org/phone" type="subscribe"/>')!)).toEqual({
      kind: 'subscription',
      from: 'bob@example.org',
      type: 'subscribe',
    });
  });

  it('ignores presence without a sender or with an unknown type', () => {
    expect(parsePresence(parseXml('<presence/>')!)).toMatchObject({ kind: 'ignored' });
    expect(parsePresence(parseXml('<presence from="bob@example.org" type="probe"/>')!)).toEqual({
      kind: 'ignored',
      reason: 'unknown presence type "probe"',
    });
  });
});
