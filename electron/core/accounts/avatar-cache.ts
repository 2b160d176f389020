/**
 * Avatars on disk, in the account's folder: each image once, named by its hash, and which
 * contact shows which. Bounded: each image by MAX_AVATAR_BYTES, the folder by a number of images
 * (the least recently written go first). What is read back is checked again — a file that no
 * longer matches its name is dropped, never shown.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MemoryStore } from '../connection/winners.js';
import { checkAvatarBytes, type AvatarImage } from '../session/stanzas/avatar.js';
import { fileMemoryStore } from './remembered-file.js';

const DEFAULT_MAX_IMAGES = 1_000;

export class AvatarCache {
  private constructor(
    private readonly folder: string,
    /** Contact's bare JID → the id of the avatar they show. */
    private readonly shown: MemoryStore<string>,
    private readonly maxImages: number,
  ) {}

  static async open(accountFolder: string, maxImages = DEFAULT_MAX_IMAGES): Promise<AvatarCache> {
    const folder = path.join(accountFolder, 'avatars');
    await mkdir(folder, { recursive: true });
    return new AvatarCache(folder, fileMemoryStore<string>(folder, 'shown.json'), maxImages);
  }

  private file(id: string): string {
    return path.join(this.folder, `${id}.img`);
  }

  async has(id: string): Promise<boolean> {
    return stat(this.file(id)).then(
      () => true,
      () => false,
    );
  }

  async read(id: string): Promise<AvatarImage | null> {
    const bytes = await readFile(this.file(id)).catch(() => null);
    if (!bytes) return null;
    const image = checkAvatarBytes(new Uint8Array(bytes), id);
    if (image.kind === 'ignored') {
      await rm(this.file(id), { force: true });
      return null;
    }
    return image;
  }

  /** Keeps an image that checkAvatarBytes accepted; written whole and renamed into place. */
  async write(image: AvatarImage): Promise<void> {
    const checked = checkAvatarBytes(image.bytes, image.id);
    if (checked.kind === 'ignored') throw new Error(`Not an avatar to keep: ${checked.reason}`);
    const file = this.file(image.id);
    await writeFile(`${file}.tmp`, image.bytes);
    await rename(`${file}.tmp`, file);
    await this.prune();
  }

  /** The avatar id a contact shows, as last known. */
  idOf(jid: string): string | undefined {
    return this.shown.get(jid);
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
