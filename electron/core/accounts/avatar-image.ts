/** Whether bytes from anywhere (a peer, the disk, a file the user chose) may be shown as an avatar. */
import { avatarTypes, MAX_AVATAR_BYTES } from '../../contract/avatars.js';
import { avatarId, type AvatarImage } from '../session/stanzas/avatar.js';
import { ignored, type Ignored } from '../session/stanzas/parsed.js';
import { imageTypeOf } from './image-magic.js';

export type AvatarType = (typeof avatarTypes)[number];

export interface CheckedAvatar extends AvatarImage {
  kind: 'avatar';
  type: AvatarType;
}

const isAvatarType = (type: string | null): type is AvatarType => avatarTypes.some((known) => known === type);

/** Bounded, an image by its first bytes (whatever a peer says it is), and the image `expectedId` names when one is. */
export function checkAvatarBytes(bytes: Uint8Array, expectedId?: string): CheckedAvatar | Ignored {
  if (bytes.length === 0) return ignored('an avatar with no bytes');
  if (bytes.length > MAX_AVATAR_BYTES) return ignored(`an avatar of ${bytes.length} bytes, more than the ${MAX_AVATAR_BYTES} Burrow takes`);
  const type = imageTypeOf(Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 16)));
  if (!isAvatarType(type)) return ignored('an avatar that is not a PNG, JPEG, GIF or WebP image');
  const id = avatarId(bytes);
  if (expectedId !== undefined && id !== expectedId.toLowerCase()) return ignored(`an avatar whose bytes do not match its id ${expectedId}`);
  return { kind: 'avatar', id, type, bytes };
}
