import { describe, expect, it } from 'vitest';
import { MAX_AVATAR_BYTES } from '../../../contract/avatars.js';
import {
  avatarDataGet,
  avatarId,
  avatarPublish,
  avatarPublishOptions,
  parseAvatarData,
  parseAvatarMetadataEvent,
  parseVcardPhoto,
  parseVcardUpdate,
  vcardSetPhoto,
} from './avatar.js';
import { parseXml } from './xml.js';

const stanza = (text: string) => parseXml(text)!;

/** The smallest PNG: a 1×1 transparent pixel. */
const png = new Uint8Array(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'),
);
const pngId = avatarId(png);
const base64 = Buffer.from(png).toString('base64');

describe('avatar ids', () => {
  it('are the SHA-1 of the bytes in hex', () => {
    expect(pngId).toMatch(/^[0-9a-f]{40}$/);
    expect(avatarId(new Uint8Array())).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
  });
});

describe('XEP-0084 metadata notifications', () => {
  const notification = (metadata: string, from = 'bob@example.org') =>
    stanza(
      `<message from="${from}" to="alice@example.org/burrow" type="headline"><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="urn:xmpp:avatar:metadata"><item id="${pngId}">${metadata}</item></items></event></message>`,
    );

  it('tell the new avatar id, preferring the PNG every publisher must offer', () => {
    const metadata = `<metadata xmlns="urn:xmpp:avatar:metadata"><info id="${'a'.repeat(40)}" type="image/jpeg" bytes="900"/><info id="${pngId}" type="image/png" bytes="${png.length}"/></metadata>`;
    expect(parseAvatarMetadataEvent(notification(metadata))).toEqual({ kind: 'avatar-announced', from: 'bob@example.org', id: pngId, source: 'pep' });
  });

  it('tell that the avatar was removed with empty metadata', () => {
    expect(parseAvatarMetadataEvent(notification('<metadata xmlns="urn:xmpp:avatar:metadata"/>'))).toMatchObject({ id: null });
  });

  it('are ignored for an image only at a URL, one larger than Burrow takes, or another node', () => {
    const atUrl = `<metadata xmlns="urn:xmpp:avatar:metadata"><info id="${pngId}" type="image/png" bytes="90" url="http://elsewhere.example/a.png"/></metadata>`;
    expect(parseAvatarMetadataEvent(notification(atUrl))).toMatchObject({ kind: 'ignored' });
    const large = `<metadata xmlns="urn:xmpp:avatar:metadata"><info id="${pngId}" type="image/png" bytes="${MAX_AVATAR_BYTES * 4}"/></metadata>`;
    expect(parseAvatarMetadataEvent(notification(large))).toMatchObject({ kind: 'ignored' });
    const tune = stanza('<message from="bob@example.org"><event xmlns="http://jabber.org/protocol/pubsub#event"><items node="http://jabber.org/protocol/tune"/></event></message>');
    expect(parseAvatarMetadataEvent(tune)).toMatchObject({ kind: 'ignored' });
  });
});

describe('XEP-0084 data', () => {
  it('is asked for by id from the contact', () => {
    expect(avatarDataGet('bob@example.org', pngId).toString()).toBe(
      `<iq type="get" to="bob@example.org"><pubsub xmlns="http://jabber.org/protocol/pubsub"><items node="urn:xmpp:avatar:data"><item id="${pngId}"/></items></pubsub></iq>`,
    );
  });

  it('is taken as bytes, bounded, when it is base64 (whether it is an image is checked above)', () => {
    const result = (data: string, id = pngId) =>
      stanza(`<iq type="result" from="bob@example.org"><pubsub xmlns="http://jabber.org/protocol/pubsub"><items node="urn:xmpp:avatar:data"><item id="${id}"><data xmlns="urn:xmpp:avatar:data">${data}</data></item></items></pubsub></iq>`);
    expect(parseAvatarData(result(base64), pngId)).toEqual({ kind: 'avatar-bytes', bytes: png });
    expect(parseAvatarData(result(`\n${base64.slice(0, 20)}\n${base64.slice(20)}\n`), pngId)).toEqual({ kind: 'avatar-bytes', bytes: png });
    expect(parseAvatarData(result('not base64!'), pngId)).toMatchObject({ kind: 'ignored' });
    expect(parseAvatarData(result(Buffer.alloc(MAX_AVATAR_BYTES + 3).toString('base64')), pngId)).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('at most') });
    expect(parseAvatarData(result(base64, 'c'.repeat(40)), pngId)).toMatchObject({ kind: 'ignored' });
  });
});

describe('publishing one’s own avatar', () => {
  const image = { id: pngId, type: 'image/png', bytes: png };

  it('publishes the data first, then the metadata that announces it', () => {
    const [data, metadata] = avatarPublish(image, null);
    expect(data.toString()).toBe(
      `<iq type="set"><pubsub xmlns="http://jabber.org/protocol/pubsub"><publish node="urn:xmpp:avatar:data"><item id="${pngId}"><data xmlns="urn:xmpp:avatar:data">${base64}</data></item></publish></pubsub></iq>`,
    );
    expect(metadata.toString()).toBe(
      `<iq type="set"><pubsub xmlns="http://jabber.org/protocol/pubsub"><publish node="urn:xmpp:avatar:metadata"><item id="${pngId}"><metadata xmlns="urn:xmpp:avatar:metadata"><info id="${pngId}" type="image/png" bytes="${png.length}"/></metadata></item></publish></pubsub></iq>`,
    );
  });

  it('asks for both nodes to be open to anyone', () => {
    for (const request of avatarPublish(image, avatarPublishOptions)) {
      expect(request.toString()).toContain('<field var="pubsub#access_model"><value>open</value></field>');
    }
  });

  it('sets the vCard photo, keeping the rest of the vCard, or takes the photo out', () => {
    const current = stanza(`<iq type="result"><vCard xmlns="vcard-temp"><FN>Alice</FN><PHOTO><TYPE>image/gif</TYPE><BINVAL>R0lGODlh</BINVAL></PHOTO></vCard></iq>`);
    expect(vcardSetPhoto(current, image).toString()).toBe(
      `<iq type="set"><vCard xmlns="vcard-temp"><FN>Alice</FN><PHOTO><TYPE>image/png</TYPE><BINVAL>${base64}</BINVAL></PHOTO></vCard></iq>`,
    );
    expect(vcardSetPhoto(null, null).toString()).toBe('<iq type="set"><vCard xmlns="vcard-temp"/></iq>');
  });
});

describe('the vCard-temp fallback', () => {
  it('reads the photo hash an available presence announces, "no photo", or nothing', () => {
    const presence = (x: string, type = '') => stanza(`<presence from="bob@example.org/phone"${type}>${x}</presence>`);
    expect(parseVcardUpdate(presence(`<x xmlns="vcard-temp:x:update"><photo>${pngId.toUpperCase()}</photo></x>`))).toEqual({ kind: 'avatar-announced', from: 'bob@example.org', id: pngId, source: 'vcard' });
    expect(parseVcardUpdate(presence('<x xmlns="vcard-temp:x:update"><photo/></x>'))).toMatchObject({ id: null });
    expect(parseVcardUpdate(presence('<x xmlns="vcard-temp:x:update"/>'))).toMatchObject({ kind: 'ignored' });
    expect(parseVcardUpdate(presence('<x xmlns="vcard-temp:x:update"><photo>not-a-hash</photo></x>'))).toMatchObject({ kind: 'ignored' });
    expect(parseVcardUpdate(presence(`<x xmlns="vcard-temp:x:update"><photo>${pngId}</photo></x>`, ' type="unavailable"'))).toMatchObject({ kind: 'ignored' });
    expect(parseVcardUpdate(presence(''))).toMatchObject({ kind: 'ignored' });
  });

  it("reads a vCard's photo as bytes, or that it has none", () => {
    const vcard = (photo: string) => stanza(`<iq type="result" from="bob@example.org"><vCard xmlns="vcard-temp"><FN>Bob</FN>${photo}</vCard></iq>`);
    expect(parseVcardPhoto(vcard(`<PHOTO><TYPE>image/png</TYPE><BINVAL>${base64}</BINVAL></PHOTO>`))).toEqual({ kind: 'avatar-bytes', bytes: png });
    expect(parseVcardPhoto(vcard(''))).toEqual({ kind: 'no-photo' });
    expect(parseVcardPhoto(vcard('<PHOTO><BINVAL>%%%</BINVAL></PHOTO>'))).toMatchObject({ kind: 'ignored' });
  });
});
