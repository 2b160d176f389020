import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AvatarCache } from './avatar-cache.js';
import { checkAvatarBytes, type CheckedAvatar } from './avatar-image.js';

const pngBase = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');
/** A distinct PNG-looking image per number: the signature, then bytes that differ. */
function image(n: number): CheckedAvatar {
  const bytes = new Uint8Array(Buffer.concat([pngBase, Buffer.from([n])]));
  const checked = checkAvatarBytes(bytes);
  if (checked.kind === 'ignored') throw new Error(checked.reason);
  return checked;
}

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'burrow-avatars-'));
});
afterEach(() => rm(folder, { recursive: true, force: true }));

describe('the avatar cache', () => {
  it('keeps an image by its hash, and remembers who shows which across a restart', async () => {
    const cache = AvatarCache.open(folder);
    const bob = image(1);
    expect(await cache.has(bob.id)).toBe(false);
    await cache.write(bob);
    cache.assign('bob@example.org', bob.id);
    expect(await cache.read(bob.id)).toEqual(bob);
    await expect.poll(() => AvatarCache.open(folder).idOf('bob@example.org')).toBe(bob.id);
    cache.assign('bob@example.org', null);
    expect(cache.idOf('bob@example.org')).toBeUndefined();
  });

  it('never reads outside its folder for an id from a damaged file', async () => {
    await mkdir(path.join(folder, 'avatars'), { recursive: true });
    await writeFile(path.join(folder, 'avatars', 'shown.json'), JSON.stringify({ 'bob@example.org': '../../elsewhere', 'carol@example.org': 7 }));
    const cache = AvatarCache.open(folder);
    expect(cache.idOf('bob@example.org')).toBeUndefined();
    expect(cache.idOf('carol@example.org')).toBeUndefined();
    expect(await cache.read('../../elsewhere')).toBeNull();
    expect(await cache.has('../../elsewhere')).toBe(false);
  });

  it('drops a file that no longer matches its name instead of showing it', async () => {
    const cache = AvatarCache.open(folder);
    const bob = image(1);
    await cache.write(bob);
    await writeFile(path.join(folder, 'avatars', `${bob.id}.img`), 'tampered');
    expect(await cache.read(bob.id)).toBeNull();
    expect(await cache.has(bob.id)).toBe(false);
  });

  it('keeps at most its number of images, letting the least recently written go', async () => {
    const cache = AvatarCache.open(folder, 2);
    const [first, second, third] = [image(1), image(2), image(3)];
    await cache.write(first);
    await utimes(path.join(folder, 'avatars', `${first.id}.img`), new Date(1_000), new Date(1_000));
    await cache.write(second);
    await cache.write(third);
    expect((await readdir(path.join(folder, 'avatars'))).filter((name) => name.endsWith('.img')).sort()).toEqual([`${second.id}.img`, `${third.id}.img`].sort());
  });
});
