import { describe, expect, it } from 'vitest';

import { chatMessage } from './chat.js';
import { itemJids, parseSlot, slotRefusal, slotRequest, uploadServiceOf } from './http-upload.js';
import { parseXml } from './xml.js';

const parse = (text: string) => parseXml(text)!;

describe('finding the upload service', () => {
  it('lists the items of the domain', () => {
    const items = parse(
      "<iq type='result'><query xmlns='http://jabber.org/protocol/disco#items'><item jid='upload.example.org'/><item jid='rooms.example.org'/><item/></query></iq>",
    );
    expect(itemJids(items)).toEqual(['upload.example.org', 'rooms.example.org']);
  });

  it('reads the feature and the max-file-size of the service’s form', () => {
    const info = parse(`<iq type='result'><query xmlns='http://jabber.org/protocol/disco#info'>
      <identity category='store' type='file'/><feature var='urn:xmpp:http:upload:0'/>
      <x xmlns='jabber:x:data' type='result'>
        <field var='FORM_TYPE' type='hidden'><value>urn:xmpp:http:upload:0</value></field>
        <field var='max-file-size'><value>8388608</value></field>
      </x></query></iq>`);
    expect(uploadServiceOf('upload.example.org', info)).toEqual({ jid: 'upload.example.org', maxBytes: 8_388_608 });
  });

  it('takes a service naming no limit, and no service without the feature', () => {
    const noLimit = parse("<iq type='result'><query xmlns='http://jabber.org/protocol/disco#info'><feature var='urn:xmpp:http:upload:0'/></query></iq>");
    const other = parse("<iq type='result'><query xmlns='http://jabber.org/protocol/disco#info'><feature var='http://jabber.org/protocol/muc'/></query></iq>");
    expect(uploadServiceOf('up.example.org', noLimit)).toEqual({ jid: 'up.example.org', maxBytes: null });
    expect(uploadServiceOf('rooms.example.org', other)).toBeNull();
  });
});

describe('slots', () => {
  it('asks for a slot with the file’s name, size and type', () => {
    expect(slotRequest('upload.example.org', { name: 'photo.png', size: 1234, contentType: 'image/png' }).toString()).toBe(
      '<iq type="get" to="upload.example.org"><request xmlns="urn:xmpp:http:upload:0" filename="photo.png" size="1234" content-type="image/png"/></iq>',
    );
  });

  it('keeps only the headers XEP-0363 allows, with no line breaks in them', () => {
    const slot = parseSlot(
      parse(`<iq type='result'><slot xmlns='urn:xmpp:http:upload:0'>
        <put url='https://upload.example.org/abc/photo.png'>
          <header name='authorization'>Bearer x&#13;&#10;X-Evil: 1</header>
          <header name='Host'>elsewhere.example</header>
          <header name='Expires'>Tue, 01 Dec 2026 00:00:00 GMT</header>
        </put>
        <get url='https://upload.example.org/abc/photo.png'/></slot></iq>`),
    );
    expect(slot.putUrl.href).toBe('https://upload.example.org/abc/photo.png');
    expect(slot.headers).toEqual({ Authorization: 'Bearer xX-Evil: 1', Expires: 'Tue, 01 Dec 2026 00:00:00 GMT' });
  });

  it('refuses a slot whose URLs are not HTTP', () => {
    const slot = parse("<iq type='result'><slot xmlns='urn:xmpp:http:upload:0'><put url='file:///etc/passwd'/><get url='https://a.example/x'/></slot></iq>");
    expect(() => parseSlot(slot)).toThrow('without a usable slot');
  });

  it('reads why a slot was refused: too large with the limit, a quota, forbidden', () => {
    const error = (inner: string) => parse(`<iq type='error'><error type='modify'>${inner}</error></iq>`);
    const stanzas = "xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'";
    expect(slotRefusal(error(`<not-acceptable ${stanzas}/><file-too-large xmlns='urn:xmpp:http:upload:0'><max-file-size>1024</max-file-size></file-too-large>`))).toEqual({
      kind: 'too-large',
      maxBytes: 1024,
    });
    expect(slotRefusal(error(`<resource-constraint ${stanzas}/><text ${stanzas}>Daily quota reached</text>`))).toEqual({ kind: 'quota', text: 'Daily quota reached' });
    expect(slotRefusal(error(`<forbidden ${stanzas}/>`))).toEqual({ kind: 'forbidden', text: null });
  });
});

describe('a shared file as a message', () => {
  it('carries its address as the body and as an XEP-0066 link', () => {
    const url = 'https://upload.example.org/abc/photo.png';
    expect(chatMessage({ to: 'bob@example.org', body: url, originId: 'o-1', oob: true }).toString()).toContain(
      `<body>${url}</body><x xmlns="jabber:x:oob"><url>${url}</url></x>`,
    );
  });
});
