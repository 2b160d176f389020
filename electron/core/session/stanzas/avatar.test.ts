import { describe, expect, it } from 'vitest';
import {
  avatarDataGet,
  avatarId,
  avatarPublish,
  checkAvatarBytes,
  MAX_AVATAR_BYTES,
  parseAvatarData,
  parseAvatarMetadataEvent,
  parseVcardPhoto,
  parseVcardUpdate,
  sniffAvatarType,
} from './avatar.js';
import { parseXml } from './xml.js';

const stanza = (text: string) => parseXml(text)!;

/** The smallest PNG: a 1×1 transparent pixel. */
const png = new Uint8Array(
  Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'),
);
const pngId = avatarId(png);
const base64 = Buffer.from(png).toString('base64');

describe('avatar bytes', () => {
  it('are named by the SHA-1 of their bytes, and typed by what they are, not by what a peer says', () => {
    expect(pngId).toMatch(/^[0-9a-f]{40}$/);
    expect(sniffAvatarType(png)).toBe('image/png');
    expect(sniffAvatarType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffAvatarType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
  });

  it('are refused when empty, too large, not an image, or not matching their id', () => {
    expect(checkAvatarBytes(png, pngId)).toEqual({ kind: 'avatar', id: pngId, type: 'image/png', bytes: png });
    expect(checkAvatarBytes(new Uint8Array())).toMatchObject({ kind: 'ignored' });
    const huge = new Uint8Array(MAX_AVATAR_BYTES + 1);
    huge.set(png.subarray(0, 8));
    expect(checkAvatarBytes(huge)).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('more than') });
    expect(checkAvatarBytes(new TextEncoder().encode('<script>'))).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('not a PNG') });
    expect(checkAvatarBytes(png, '0'.repeat(40))).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('do not match') });
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

  it('is taken when its bytes are the image its id names', () => {
    const result = (data: string, id = pngId) =>
      stanza(`<iq type="result" from="bob@example.org"><pubsub xmlns="http://jabber.org/protocol/pubsub"><items node="urn:xmpp:avatar:data"><item id="${id}"><data xmlns="urn:xmpp:avatar:data">${data}</data></item></items></pubsub></iq>`);
    expect(parseAvatarData(result(base64), pngId)).toEqual({ kind: 'avatar', id: pngId, type: 'image/png', bytes: png });
    expect(parseAvatarData(result(`\n${base64.slice(0, 20)}\n${base64.slice(20)}\n`), pngId)).toMatchObject({ id: pngId });
    expect(parseAvatarData(result('not base64!'), pngId)).toMatchObject({ kind: 'ignored' });
    expect(parseAvatarData(result(Buffer.from('<svg/>').toString('base64')), pngId)).toMatchObject({ kind: 'ignored' });
  });
});

describe('publishing one’s own avatar', () => {
  it('publishes the data first, then the metadata that announces it', () => {
    const [data, metadata] = avatarPublish({ kind: 'avatar', id: pngId, type: 'image/png', bytes: png });
    expect(data.toString()).toBe(
      `<iq type="set"><pubsub xmlns="http://jabber.org/protocol/pubsub"><publish node="urn:xmpp:avatar:data"><item id="${pngId}"><data xmlns="urn:xmpp:avatar:data">${base64}</data></item></publish></pubsub></iq>`,
    );
    expect(metadata.toString()).toBe(
      `<iq type="set"><pubsub xmlns="http://jabber.org/protocol/pubsub"><publish node="urn:xmpp:avatar:metadata"><item id="${pngId}"><metadata xmlns="urn:xmpp:avatar:metadata"><info id="${pngId}" type="image/png" bytes="${png.length}"/></metadata></item></publish></pubsub></iq>`,
    );
  });
});

describe('the vCard-temp fallback', () => {
  it('reads the photo hash a presence announces, "no photo", or nothing', () => {
    const presence = (x: string) => stanza(`<presence from="bob@example.org/phone">${x}</presence>`);
    expect(parseVcardUpdate(presence(`<x xmlns="vcard-temp:x:update"><photo>${pngId.toUpperCase()}</photo></x>`))).toEqual({ kind: 'avatar-announced', from: 'bob@example.org', id: pngId, source: 'vcard' });
    expect(parseVcardUpdate(presence('<x xmlns="vcard-temp:x:update"><photo/></x>'))).toMatchObject({ id: null });
    expect(parseVcardUpdate(presence('<x xmlns="vcard-temp:x:update"/>'))).toMatchObject({ kind: 'ignored' });
    expect(parseVcardUpdate(presence(''))).toMatchObject({ kind: 'ignored' });
  });

  it("reads a vCard's photo, checked against the announced hash", () => {
    const vcard = (photo: string) => stanza(`<iq type="result" from="bob@example.org"><vCard xmlns="vcard-temp"><FN>Bob</FN>${photo}</vCard></iq>`);
    expect(parseVcardPhoto(vcard(`<PHOTO><TYPE>image/png</TYPE><BINVAL>${base64}</BINVAL></PHOTO>`), pngId)).toEqual({ kind: 'avatar', id: pngId, type: 'image/png', bytes: png });
    expect(parseVcardPhoto(vcard(''))).toEqual({ kind: 'no-photo' });
    expect(parseVcardPhoto(vcard(`<PHOTO><BINVAL>${base64}</BINVAL></PHOTO>`), 'b'.repeat(40))).toMatchObject({ kind: 'ignored' });
  });
});
