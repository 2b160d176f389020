/**
 * Avatars on the wire: XEP-0084 User Avatar over PEP (metadata notifications, data fetched by id,
 * publishing one's own), and the vCard-temp fallback (XEP-0054 photo, XEP-0153 hash in presence).
 * What a peer sends is bounded here; whether its bytes are an image is checked above (accounts).
 */
import { createHash } from 'node:crypto';

import { MAX_AVATAR_BYTES } from '../../../contract/avatars.js';
import { publishOptions } from './bookmarks.js';
import { bareJid } from './jid.js';
import { NS_AVATAR_DATA, NS_AVATAR_METADATA, NS_PUBSUB, NS_PUBSUB_EVENT, NS_VCARD, NS_VCARD_UPDATE } from './namespaces.js';
import { ignored } from './parsed.js';
import type { Ignored } from './parsed.js';
import { xml } from './xml.js';
import type { Element } from './xml.js';

/** An image checked to be an avatar: its id is the SHA-1 of its bytes. */
export interface AvatarImage {
  id: string;
  type: string;
  bytes: Uint8Array;
}

/** An avatar's id is the SHA-1 of its bytes, in lower-case hex (XEP-0084 §4.2, XEP-0153). */
export function avatarId(bytes: Uint8Array): string {
  return createHash('sha1').update(bytes).digest('hex');
}

export const isAvatarId = (text: string | undefined): text is string => text !== undefined && /^[0-9a-f]{40}$/i.test(text);

/** Bytes as a peer sent them, bounded but not yet known to be an image. */
export interface AvatarBytes {
  kind: 'avatar-bytes';
  bytes: Uint8Array;
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

/** A PEP notification (XEP-0163): a message with a pubsub event, from an account's bare JID. */
export function isPepEvent(message: Element): boolean {
  return message.getChild('event', NS_PUBSUB_EVENT) !== undefined;
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
  // Only an image stored in the data node is fetched: one given by URL is on someone else's server.
  const stored = infos.filter((info) => info.attrs.url === undefined && isAvatarId(info.attrs.id));
  const chosen = stored.find((info) => info.attrs.type === 'image/png') ?? stored[0];
  if (!chosen) return ignored(`an avatar notification from ${from} with no image in its data node`);
  const bytes = Number(chosen.attrs.bytes);
  if (Number.isFinite(bytes) && bytes > MAX_AVATAR_BYTES) return ignored(`${from}'s avatar of ${bytes} bytes is more than the ${MAX_AVATAR_BYTES} Burrow takes`);
  return { kind: 'avatar-announced', from, id: String(chosen.attrs.id).toLowerCase(), source: 'pep' };
}

/**
 * XEP-0153's hash in a presence: the photo's id, null for "no photo", or ignored when the presence
 * says nothing (the client is not announcing, or does not know yet).
 */
export function parseVcardUpdate(presence: Element): AvatarAnnounced | Ignored {
  const update = presence.getChild('x', NS_VCARD_UPDATE);
  const from = bareJid(presence.attrs.from);
  if (!update || !from || presence.attrs.type !== undefined) return ignored('no vCard avatar hash in this presence');
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

export function parseAvatarData(iq: Element, id: string): AvatarBytes | Ignored {
  const items = iq.getChild('pubsub', NS_PUBSUB)?.getChild('items');
  const item = items?.getChildren('item').find((candidate) => candidate.attrs.id?.toLowerCase() === id.toLowerCase());
  const data = item?.getChild('data', NS_AVATAR_DATA);
  if (!data) return ignored(`no avatar data with id ${id}`);
  const bytes = decodeBase64(data.text());
  if (!bytes) return ignored(`avatar ${id} is not base64 of at most ${MAX_AVATAR_BYTES} bytes`);
  return { kind: 'avatar-bytes', bytes };
}

/** Someone's vCard, or the user's own (no `to`). */
export function vcardGet(jid?: string): Element {
  return xml('iq', { type: 'get', ...(jid ? { to: jid } : {}) }, xml('vCard', { xmlns: NS_VCARD }));
}

/** The photo of a vCard (XEP-0054). */
export function parseVcardPhoto(iq: Element): AvatarBytes | Ignored | { kind: 'no-photo' } {
  const binval = iq.getChild('vCard', NS_VCARD)?.getChild('PHOTO')?.getChildText('BINVAL');
  if (!binval?.trim()) return { kind: 'no-photo' };
  const bytes = decodeBase64(binval);
  if (!bytes) return ignored(`a vCard photo that is not base64 of at most ${MAX_AVATAR_BYTES} bytes`);
  return { kind: 'avatar-bytes', bytes };
}

/**
 * The user's vCard as it was (from `vcardGet`'s answer, null when they had none) with `image` as
 * its photo, or none: the rest of it (their name…) is kept.
 */
export function vcardSetPhoto(current: Element | null, image: AvatarImage | null): Element {
  const kept = current?.getChild('vCard', NS_VCARD)?.getChildElements().filter((child) => child.name !== 'PHOTO') ?? [];
  const photo = image && xml('PHOTO', {}, xml('TYPE', {}, image.type), xml('BINVAL', {}, Buffer.from(image.bytes).toString('base64')));
  return xml('iq', { type: 'set' }, xml('vCard', { xmlns: NS_VCARD }, ...kept, photo));
}

/** XEP-0084 §4.1's advice: anyone may read the avatar, not only those who see the user's presence. */
export const avatarPublishOptions: readonly (readonly [string, string])[] = [['pubsub#access_model', 'open']];

/**
 * Publishing one's avatar takes two requests, in this order (XEP-0084 §4.1–4.2): the data, then
 * the metadata that announces it, so that no contact is told of bytes they cannot fetch yet.
 * `options`: publish options (XEP-0060 §7.1.5) for both nodes, or none.
 */
export function avatarPublish(image: AvatarImage, options: readonly (readonly [string, string])[] | null): [Element, Element] {
  const publish = (node: string, payload: Element) =>
    xml(
      'iq',
      { type: 'set' },
      xml('pubsub', { xmlns: NS_PUBSUB }, xml('publish', { node }, xml('item', { id: image.id }, payload)), options && publishOptions(options)),
    );
  return [
    publish(NS_AVATAR_DATA, xml('data', { xmlns: NS_AVATAR_DATA }, Buffer.from(image.bytes).toString('base64'))),
    publish(NS_AVATAR_METADATA, xml('metadata', { xmlns: NS_AVATAR_METADATA }, xml('info', { id: image.id, type: image.type, bytes: String(image.bytes.length) }))),
  ];
}

/** Removing one's avatar: empty metadata (XEP-0084 §4.3). */
export function avatarUnpublish(): Element {
  return xml('iq', { type: 'set' }, xml('pubsub', { xmlns: NS_PUBSUB }, xml('publish', { node: NS_AVATAR_METADATA }, xml('item', {}, xml('metadata', { xmlns: NS_AVATAR_METADATA })))));
}
