/**
 * The avatars part of the contract: a contact's picture (XEP-0084 User Avatar, or their vCard's
 * photo), told one contact at a time, and the user's own, chosen in the page and published by core.
 * The bytes cross in base64, bounded; the page makes them a `blob:` URL.
 */
import { z } from 'zod';

import { Jid } from './messaging.js';

/** The most Burrow takes in or publishes for one avatar: XEP-0084 advises small images, and an inbound stanza is at most 256 KiB. */
export const MAX_AVATAR_BYTES = 128 * 1024;
/** The image types an avatar may be, told by its bytes. */
export const avatarTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'] as const;

const CommunityId = z.string().min(1);
const AvatarData = z.base64().max(Math.ceil(MAX_AVATAR_BYTES / 3) * 4);

export const AvatarImageView = z.strictObject({
  /** The SHA-1 of the bytes, in hex: the avatar's id (XEP-0084 §4.2, XEP-0153). */
  hash: z.string().regex(/^[0-9a-f]{40}$/),
  mime: z.enum(avatarTypes),
  data: AvatarData,
});
export type AvatarImageView = z.infer<typeof AvatarImageView>;

/** Who shows which picture: `image` null when they show none (the page draws their initials). */
export const AvatarView = z.strictObject({ communityId: z.string(), jid: z.string(), image: AvatarImageView.nullable() });
export type AvatarView = z.infer<typeof AvatarView>;

export const avatarRequests = {
  /** The avatar last known for a contact (or the user, by their own JID), from disk: nothing is fetched for it. */
  'avatars:get': { request: z.strictObject({ communityId: CommunityId, jid: Jid }), response: AvatarView },
  /** Publishes the user's avatar (null: removes it); refused when the bytes are not an image Burrow takes. */
  'avatars:setOwn': { request: z.strictObject({ communityId: CommunityId, data: AvatarData.nullable() }), response: AvatarView },
} as const;

export const avatarEvents = {
  /** One contact now shows another picture, or none. */
  'avatars:changed': AvatarView,
} as const;
