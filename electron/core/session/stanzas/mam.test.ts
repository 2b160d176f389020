import { describe, expect, it } from 'vitest';

import { mamQuery, parseMamFin, parseMamResult } from './mam.js';
import { parseXml } from './xml.js';

const me = 'alice@example.org';
const context = { archive: me, queryIds: new Set(['q1']) };
const result = (attributes: string, inner = '<message from="bob@example.org/phone" type="chat"><body>old</body></message>') =>
  parseXml(
    `<message ${attributes}><result xmlns="urn:xmpp:mam:2" queryid="q1" id="a-5"><forwarded xmlns="urn:xmpp:forward:0">
       <delay xmlns="urn:xmpp:delay" stamp="2026-11-20T10:00:00Z"/>${inner}</forwarded></result></message>`,
  )!;

describe('mamQuery', () => {
  it('asks for one conversation after a known archive id, one page at a time', () => {
    expect(mamQuery({ queryId: 'q1', with: 'bob@example.org', after: 'a-4', max: 50 }).toString()).toBe(
      '<iq type="set"><query xmlns="urn:xmpp:mam:2" queryid="q1"><x xmlns="jabber:x:data" type="submit">' +
        '<field var="FORM_TYPE" type="hidden"><value>urn:xmpp:mam:2</value></field>' +
        '<field var="with"><value>bob@example.org</value></field></x>' +
        '<set xmlns="http://jabber.org/protocol/rsm"><max>50</max><after>a-4</after></set></query></iq>',
    );
  });

  it('asks from a start time', () => {
    expect(mamQuery({ queryId: 'q2', start: new Date('2026-11-20T10:00:00Z'), max: 10 }).toString()).toContain(
      '<field var="start"><value>2026-11-20T10:00:00.000Z</value></field>',
    );
  });
});

describe('parseMamResult', () => {
  it('reads an archived message with its archive id and time', () => {
    const archived = parseMamResult(result('to="alice@example.org/desk"'), context);
    expect(archived).toMatchObject({ kind: 'archived', queryId: 'q1', archiveId: 'a-5', archivedAt: '2026-11-20T10:00:00.000Z' });
    expect(archived?.kind === 'archived' && archived.message.getChildText('body')).toBe('old');
  });

  it('says null for a message that is no archive result', () => {
    expect(parseMamResult(parseXml('<message from="bob@example.org"><body>x</body></message>')!, context)).toBeNull();
  });

  it('refuses results from someone else’s archive or for a query Burrow did not make', () => {
    expect(parseMamResult(result('from="mallory@example.org"'), context)).toMatchObject({ kind: 'ignored' });
    expect(parseMamResult(result(''), { ...context, queryIds: new Set(['other']) })).toEqual({
      kind: 'ignored',
      reason: 'an archive result for a query Burrow did not make (q1)',
    });
  });

  it('ignores a result without a forwarded message', () => {
    expect(parseMamResult(result('', ''), context)).toEqual({ kind: 'ignored', reason: 'an archive result without a forwarded message' });
  });
});

describe('parseMamFin', () => {
  it('reads the page bounds and whether the archive is exhausted', () => {
    const fin = parseXml(
      `<iq type="result" id="x"><fin xmlns="urn:xmpp:mam:2" complete="true"><set xmlns="http://jabber.org/protocol/rsm">
         <first>a-1</first><last>a-5</last></set></fin></iq>`,
    )!;
    expect(parseMamFin(fin)).toEqual({ kind: 'mam-page', complete: true, first: 'a-1', last: 'a-5' });
  });

  it('reads an empty page', () => {
    expect(parseMamFin(parseXml('<iq type="result"><fin xmlns="urn:xmpp:mam:2"/></iq>')!)).toEqual({
      kind: 'mam-page',
      complete: false,
      first: null,
      last: null,
    });
  });

  it('ignores anything else', () => {
    expect(parseMamFin(parseXml('<iq type="result"/>')!)).toMatchObject({ kind: 'ignored' });
  });
});
