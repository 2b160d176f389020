import { describe, expect, it } from 'vitest';

import { MAX_AVATAR_BYTES } from '../../contract/avatars.js';
import { avatarId } from '../session/stanzas/avatar.js';
import { checkAvatarBytes } from './avatar-image.js';

/** The smallest PNG: a 1×1 transparent pixel. */
const png = new Uint8Array(Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64'));

describe('avatar bytes', () => {
  it('are taken as the image their first bytes show, named by their hash', () => {
    expect(checkAvatarBytes(png, avatarId(png))).toEqual({ kind: 'avatar', id: avatarId(png), type: 'image/png', bytes: png });
    expect(checkAvatarBytes(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toMatchObject({ kind: 'avatar', type: 'image/jpeg' });
  });

  it('are refused when empty, too large, not an image, or not matching their id', () => {
    expect(checkAvatarBytes(new Uint8Array())).toMatchObject({ kind: 'ignored' });
    const huge = new Uint8Array(MAX_AVATAR_BYTES + 1);
    huge.set(png.subarray(0, 8));
    expect(checkAvatarBytes(huge)).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('more than') });
    expect(checkAvatarBytes(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('not a PNG') });
    expect(checkAvatarBytes(png, '0'.repeat(40))).toMatchObject({ kind: 'ignored', reason: expect.stringContaining('do not match') });
  });
});
