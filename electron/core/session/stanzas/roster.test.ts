import { describe, expect, it } from 'vitest';

import { parseRosterPush, parseRosterResult, rosterGet, rosterRemove, rosterSet } from './roster.js';
import { parseXml } from './xml.js';

const me = 'alice@example.org';

describe('roster requests', () => {
  it('builds get, set with groups, and remove', () => {
    expect(rosterGet().toString()).toBe('<iq type="get"><query xmlns="jabber:iq:roster"/></iq>');
    expect(rosterSet({ jid: 'bob@example.org', name: 'Bob', groups: ['Work'] }).toString()).toBe(
      '<iq type="set"><query xmlns="jabber:iq:roster"><item jid="bob@example.org" name="Bob"><group>Work</group></item></query></iq>',
    );
    expect(rosterRemove('bob@example.org').toString()).toBe(
      '<iq type="set"><query xmlns="jabber:iq:roster"><item jid="bob@example.org" subscription="remove"/></query></iq>',
    );
  });
});

describe('parseRosterResult', () => {
  it('reads the items and says which ones it skipped', () => {
    const result = parseXml(
      `<iq type="result" id="r1"><query xmlns="jabber:iq:roster">
         <item jid="Bob@Example.org" name="Bob" subscription="both"><group>Work</group><group>Work</group></item>
         <item jid="carol@example.org" ask="subscribe"/>
         <item jid="not a jid" subscription="both"/>
         <item jid="dave@example.org" subscription="sideways"/>
       </query></iq>`,
    )!;
    expect(parseRosterResult(result)).toEqual({
      kind: 'roster',
      items: [
        { jid: 'bob@example.org', name: 'Bob', subscription: 'both', askPending: false, groups: ['Work'] },
        { jid: 'carol@example.org', name: null, subscription: 'none', askPending: true, groups: [] },
      ],
      skipped: ['a roster item with an invalid JID "not a jid"', 'dave@example.org has an unknown subscription "sideways"'],
    });
  });

  it('ignores an error answer', () => {
    expect(parseRosterResult(parseXml('<iq type="error"/>')!)).toMatchObject({ kind: 'ignored' });
  });
});

describe('parseRosterPush', () => {
  const push = (from: string, item: string) =>
    parseRosterPush(parseXml(`<iq type="set" id="p1" ${from}><query xmlns="jabber:iq:roster">${item}</query></iq>`)!, me);

  it('reads a push from the user’s own account, with or without a from', () => {
    expect(push('', '<item jid="bob@example.org" subscription="to"/>')).toEqual({
      kind: 'roster-push',
      item: { jid: 'bob@example.org', name: null, subscription: 'to', askPending: false, groups: [] },
    });
    expect(push('from="alice@example.org"', '<item jid="bob@example.org" subscription="remove"/>')).toEqual({
      kind: 'roster-removal',
      jid: 'bob@example.org',
    });
  });

  it('refuses a push from anyone else, which would let them rewrite the contact list', () => {
    expect(push('from="mallory@example.org"', '<item jid="mallory@example.org" subscription="both"/>')).toEqual({
      kind: 'ignored',
      reason: "a roster push from mallory@example.org, not from the user's own account",
    });
  });

  it('refuses a push from another of the user’s own resources: only the bare JID speaks for the account (RFC 6121 §2.1.6)', () => {
    expect(push('from="alice@example.org/phone"', '<item jid="mallory@example.org" subscription="both"/>')).toEqual({
      kind: 'ignored',
      reason: "a roster push from alice@example.org/phone, not from the user's own account",
    });
    expect(push('from="Alice@Example.org"', '<item jid="bob@example.org"/>')).toMatchObject({ kind: 'roster-push' });
  });

  it('refuses a push with more or fewer than one item', () => {
    expect(push('', '')).toMatchObject({ kind: 'ignored', reason: 'a roster push carries exactly one item, not 0' });
    expect(push('', '<item jid="a@example.org"/><item jid="b@example.org"/>')).toMatchObject({ kind: 'ignored' });
  });
});
