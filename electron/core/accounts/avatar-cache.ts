/**
 * Avatars on disk, in the account's folder: each image once, named by its hash, and which contact
 * shows which, so that a restart fetches nothing already known. Bounded: each image by
 * MAX_AVATAR_BYTES, the folder by a number of images (the least recently written go first). What is
 * read back is checked again: a file that no longer matches its name is dropped, never shown.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { MemoryStore } from '../connection/winners.js';
import { isAvatarId } from '../session/stanzas/avatar.js';
import { checkAvatarBytes, type CheckedAvatar } from './avatar-image.js';
import { fileMemoryStore } from './remembered-file.js';

const DEFAULT_MAX_IMAGES = 1_000;

export class AvatarCache {
  private constructor(
    private readonly folder: string,
    /** Contact's bare JID → the id of the avatar they show. */
    private readonly shown: MemoryStore<string>,
    private readonly maxImages: number,
  ) {}

  /** At once: the folder is made with the first image written. */
  static open(accountFolder: string, maxImages = DEFAULT_MAX_IMAGES): AvatarCache {
    const folder = path.join(accountFolder, 'avatars');
    return new AvatarCache(folder, fileMemoryStore<string>(folder, 'shown.json'), maxImages);
  }

  /** Only a SHA-1 names a file: an id from a damaged shown.json never reaches outside the folder. */
  private file(id: string): string | null {
    return isAvatarId(id) ? path.join(this.folder, `${id.toLowerCase()}.img`) : null;
  }

  async has(id: string): Promise<boolean> {
    const file = this.file(id);
    return file !== null && (await stat(file).then(
      () => true,
      () => false,
    ));
  }

  async read(id: string): Promise<CheckedAvatar | null> {
    const file = this.file(id);
    const bytes = file && (await readFile(file).catch(() => null));
    if (!file || !bytes) return null;
    const image = checkAvatarBytes(new Uint8Array(bytes), id);
    if (image.kind === 'ignored') {
      await rm(file, { force: true });
      return null;
    }
    return image;
  }

  /** Keeps an image that checkAvatarBytes accepted; written whole and renamed into place (the same image may be written twice at once). */
  async write(image: CheckedAvatar): Promise<void> {
    const file = this.file(image.id);
    if (!file) throw new Error(`Not an avatar id: ${image.id}`);
    await mkdir(this.folder, { recursive: true });
    const partial = `${file}.${randomUUID()}.tmp`;
    await writeFile(partial, image.bytes);
    await rename(partial, file);
    await this.prune();
  }

  /** The avatar id a contact shows, as last known. */
  idOf(jid: string): string | undefined {
    const id = this.shown.get(jid);
    return typeof id === 'string' && isAvatarId(id) ? id : undefined;
  }

  assign(jid: string, id: string | null): void {
    if (id === null) this.shown.delete(jid);
    else this.shown.set(jid, id);
  }

  private async prune(): Promise<void> {
    const names = (await readdir(this.folder)).filter((name) => name.endsWith('.img'));
    if (names.length <= this.maxImages) return;
    const dated = await Promise.all(names.map(async (name) => ({ name, at: (await stat(path.join(this.folder, name))).mtimeMs })));
    dated.sort((a, b) => a.at - b.at);
    for (const { name } of dated.slice(0, dated.length - this.maxImages)) await rm(path.join(this.folder, name), { force: true });
  }
}
