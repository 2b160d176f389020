/**
 * Avatars: XEP-0084 User Avatar over PEP (metadata notifications, data fetched by id, publishing
 * one's own), and the vCard-temp fallback (XEP-0054 photo, XEP-0153 hash in presence). What a peer
 * sends is checked here — bounded size, a known image type, the hash it claims — before it goes anywhere.
 */
import { createHash } from 'node:crypto';
import { bareJid } from './jid.js';
import { NS_AVATAR_DATA, NS_AVATAR_METADATA, NS_PUBSUB, NS_PUBSUB_EVENT, NS_VCARD, NS_VCARD_UPDATE } from './namespaces.js';
import { ignored } from './parsed.js';
import type { Ignored } from './parsed.js';
import { xml } from './xml.js';
import type { Element } from './xml.js';

/** The most Burrow takes in or publishes for one avatar: XEP-0084 advises small images, and the inbound stanza limit is 256 KiB. */
export const MAX_AVATAR_BYTES = 128 * 1024;

export const avatarTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;
export type AvatarType = (typeof avatarTypes)[number];

/** An avatar's id is the SHA-1 of its bytes, in lower-case hex (XEP-0084 §4.2, XEP-0153). */
export function avatarId(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

const isAvatarId = (text: string | undefined): text is string => text !== undefined && /^[0-9a-f]{40}$/i.test(text);

/** What the bytes are, from their first bytes, whatever a peer says they are. */
export function sniffAvatarType(bytes: Uint8Array): AvatarType | null {
  const starts = (...signature: number[]) => signature.every((byte, index) => bytes[index] === byte);
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'image/webp';
  return null;
}

export interface AvatarImage {
  kind: 'avatar';
  id: string;
  type: AvatarType;
  bytes: Uint8Array;
}

/** Checks image bytes from anywhere (a peer, a file the user chose): bounded, a known type, and the hash expected when one is. */
export function checkAvatarBytes(bytes: Uint8Array, expectedId?: string): AvatarImage | Ignored {
  if (bytes.length === 0) return ignored('an avatar with no bytes');
  if (bytes.length > MAX_AVATAR_BYTES) return ignored(`an avatar of ${bytes.length} bytes, more than the ${MAX_AVATAR_BYTES} Burrow takes`);
  const type = sniffAvatarType(bytes);
  if (!type) return ignored('an avatar that is not a PNG, JPEG, GIF or WebP image');
  const id = avatarId(bytes);
  if (expectedId !== undefined && id !== expectedId.toLowerCase()) return ignored(`an avatar whose bytes do not match its id ${expectedId}`);
  return { kind: 'avatar', id, type, bytes };
}

function decodeBase64(text: string): Uint8Array | null {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(compact) || compact.length % 4 !== 0) return null;
  // Bounded before decoding: base64 is 4 characters per 3 bytes.
  if ((compact.length / 4) * 3 > MAX_AVATAR_BYTES + 2) return null;
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

/** A contact's avatar changed: the id of the new one, or null when they removed theirs. */
export interface AvatarAnnounced {
  kind: 'avatar-announced';
  from: string;
  id: string | null;
  /** Where its bytes are: the PEP data node (XEP-0084) or the vCard (XEP-0153). */
  source: 'pep' | 'vcard';
}

/** A PEP notification of a contact's avatar metadata (XEP-0084 §4.2), as a message from their bare JID. */
export function parseAvatarMetadataEvent(message: Element): AvatarAnnounced | Ignored {
  const items = message.getChild('event', NS_PUBSUB_EVENT)?.getChild('items');
  if (!items || items.attrs.node !== NS_AVATAR_METADATA) return ignored('not an avatar metadata notification');
  const from = bareJid(message.attrs.from);
  if (!from) return ignored(`an avatar notification from an invalid JID ${JSON.stringify(message.attrs.from ?? null)}`);
  const metadata = items.getChild('item')?.getChild('metadata', NS_AVATAR_METADATA);
  if (!metadata) return ignored(`an avatar notification from ${from} without metadata`);
  const infos = metadata.getChildren('info');
  // An empty <metadata/> says the avatar was removed (XEP-0084 §4.3).
  if (infos.length === 0) return { kind: 'avatar-announced', from, id: null, source: 'pep' };
  // Only an image stored in the data node can be fetched: one given by URL is someone else's server.
  const stored = infos.filter((info) => info.attrs.url === undefined && isAvatarId(info.attrs.id));
  const chosen = stored.find((info) => info.attrs.type === 'image/png') ?? stored[0];
  if (!chosen) return ignored(`an avatar notification from ${from} with no image in its data node`);
  const bytes = Number(chosen.attrs.bytes);
  if (Number.isFinite(bytes) && bytes > MAX_AVATAR_BYTES) return ignored(`${from}'s avatar of ${bytes} bytes is more than the ${MAX_AVATAR_BYTES} Burrow takes`);
  return { kind: 'avatar-announced', from, id: String(chosen.attrs.id).toLowerCase(), source: 'pep' };
}

/**
 * XEP-0153's hash in a presence: the photo's id, null for "no photo", or undefined when the
 * presence says nothing (the client is not announcing, or does not know yet).
 */
export function parseVcardUpdate(presence: Element): AvatarAnnounced | Ignored {
  const update = presence.getChild('x', NS_VCARD_UPDATE);
  const from = bareJid(presence.attrs.from);
  if (!update || !from) return ignored('no vCard avatar hash in this presence');
  const photo = update.getChild('photo');
  if (!photo) return ignored(`${from} is not announcing a vCard avatar yet`);
  const hash = photo.text().trim();
  if (hash === '') return { kind: 'avatar-announced', from, id: null, source: 'vcard' };
  if (!isAvatarId(hash)) return ignored(`${from} announced a vCard avatar hash that is not SHA-1: ${JSON.stringify(hash)}`);
  return { kind: 'avatar-announced', from, id: hash.toLowerCase(), source: 'vcard' };
}

/** Asks a contact's PEP service for one avatar's bytes, by id. */
export function avatarDataGet(jid: string, id: string): Element {
  return xml('iq', { type: 'get', to: jid }, xml('pubsub', { xmlns: NS_PUBSUB }, xml('items', { node: NS_AVATAR_DATA }, xml('item', { id }))));
}

export function parseAvatarData(iq: Element, id: string): AvatarImage | Ignored {
  if (!iq.is('iq') || iq.attrs.type !== 'result') return ignored('expected an iq result with avatar data');
  const items = iq.getChild('pubsub', NS_PUBSUB)?.getChild('items');
  const item = items?.getChildren('item').find((candidate) => candidate.attrs.id?.toLowerCase() === id.toLowerCase());
  const data = item?.getChild('data', NS_AVATAR_DATA);
  if (!data) return ignored(`no avatar data with id ${id}`);
  const bytes = decodeBase64(data.text());
  if (!bytes) return ignored(`avatar ${id} is not base64 of at most ${MAX_AVATAR_BYTES} bytes`);
  return checkAvatarBytes(bytes, id);
}

export function vcardGet(jid: string | undefined): Element {
  return xml('iq', { type: 'get', ...(jid ? { to: jid } : {}) }, xml('vCard', { xmlns: NS_VCARD }));
}

/** The photo of a vCard (XEP-0054), checked against the hash the contact announced when there is one. */
export function parseVcardPhoto(iq: Element, expectedId?: string): AvatarImage | Ignored | { kind: 'no-photo' } {
  if (!iq.is('iq') || iq.attrs.type !== 'result') return ignored('expected an iq result with a vCard');
  const photo = iq.getChild('vCard', NS_VCARD)?.getChild('PHOTO');
  const binval = photo?.getChildText('BINVAL');
  if (!binval) return { kind: 'no-photo' };
  const bytes = decodeBase64(binval);
  if (!bytes) return ignored(`a vCard photo that is not base64 of at most ${MAX_AVATAR_BYTES} bytes`);
  return checkAvatarBytes(bytes, expectedId);
}

/**
 * Publishing one's avatar takes two requests, in this order (XEP-0084 §4.1–4.2): the data, then
 * the metadata that announces it, so that no contact is told of bytes they cannot fetch yet.
 */
export function avatarPublish(image: AvatarImage): [Element, Element] {
  const publish = (node: string, payload: Element) => xml('iq', { type: 'set' }, xml('pubsub', { xmlns: NS_PUBSUB }, xml('publish', { node }, xml('item', { id: image.id }, payload))));
  return [
    publish(NS_AVATAR_DATA, xml('data', { xmlns: NS_AVATAR_DATA }, Buffer.from(image.bytes).toString('base64'))),
    publish(NS_AVATAR_METADATA, xml('metadata', { xmlns: NS_AVATAR_METADATA }, xml('info', { id: image.id, type: image.type, bytes: String(image.bytes.length) }))),
  ];
}

/** Removing one's avatar: empty metadata (XEP-0084 §4.3). */
export function avatarUnpublish(): Element {
  return xml('iq', { type: 'set' }, xml('pubsub', { xmlns: NS_PUBSUB }, xml('publish', { node: NS_AVATAR_METADATA }, xml('item', {}, xml('metadata', { xmlns: NS_AVATAR_METADATA })))));
}
