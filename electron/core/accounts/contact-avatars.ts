/**
 * Contacts' avatars and one's own: what an announcement (a PEP notification or a vCard hash in
 * presence) means, fetching the image only when it is not on disk yet, and telling the change
 * for one contact at a time. Publishing one's own goes through the same checks.
 */
import {
  avatarDataGet,
  avatarPublish,
  checkAvatarBytes,
  parseAvatarData,
  parseVcardPhoto,
  vcardGet,
  type AvatarAnnounced,
  type AvatarImage,
} from '../session/stanzas/avatar.js';
import type { Element } from '../session/stanzas/xml.js';
import type { AvatarCache } from './avatar-cache.js';

export interface ContactAvatarsDeps {
  cache: AvatarCache;
  /** An iq to the server or a contact, answered with its result (rejected on an error or a lost path). */
  request: (iq: Element) => Promise<Element>;
  /** One contact now shows another avatar, or none. */
  changed: (jid: string, id: string | null) => void;
  reportFault: (message: string) => void;
}

export class ContactAvatars {
  /** Contacts that publish over PEP: their vCard hashes, which may lag, are not followed. */
  private readonly onPep = new Set<string>();
  private readonly fetching = new Map<string, Promise<void>>();

  constructor(private readonly deps: ContactAvatarsDeps) {}

  announced(announcement: AvatarAnnounced): Promise<void> {
    const { from, id, source } = announcement;
    if (source === 'pep') this.onPep.add(from);
    else if (this.onPep.has(from)) return Promise.resolve();
    const key = `${from} ${id ?? ''}`;
    const running = this.fetching.get(key);
    if (running) return running;
    const done = this.follow(from, id, source).finally(() => this.fetching.delete(key));
    this.fetching.set(key, done);
    return done;
  }

  private async follow(jid: string, id: string | null, source: AvatarAnnounced['source']): Promise<void> {
    const { cache } = this.deps;
    if (id === null) return this.show(jid, null);
    if (!(await cache.has(id))) {
      const image = await this.fetch(jid, id, source);
      if (!image) return;
      await cache.write(image);
    }
    this.show(jid, id);
  }

  private async fetch(jid: string, id: string, source: AvatarAnnounced['source']): Promise<AvatarImage | null> {
    try {
      const answer = await this.deps.request(source === 'pep' ? avatarDataGet(jid, id) : vcardGet(jid));
      const image = source === 'pep' ? parseAvatarData(answer, id) : parseVcardPhoto(answer, id);
      if (image.kind === 'no-photo') return null;
      if (image.kind === 'ignored') {
        this.deps.reportFault(`${jid}'s avatar was not shown: ${image.reason}`);
        return null;
      }
      return image;
    } catch (error) {
      this.deps.reportFault(`${jid}'s avatar could not be fetched: ${(error as Error).message}`);
      return null;
    }
  }

  private show(jid: string, id: string | null): void {
    if ((this.deps.cache.idOf(jid) ?? null) === id) return;
    this.deps.cache.assign(jid, id);
    this.deps.changed(jid, id);
  }
}

/** Publishes the user's avatar: checked like anyone's, the data before the metadata, and kept on disk. Returns its id. */
export async function publishOwnAvatar(bytes: Uint8Array, deps: Pick<ContactAvatarsDeps, 'cache' | 'request'>): Promise<string> {
  const image = checkAvatarBytes(bytes);
  if (image.kind === 'ignored') throw new Error(`This image cannot be your avatar: ${image.reason}.`);
  const [data, metadata] = avatarPublish(image);
  await deps.request(data);
  await deps.request(metadata);
  await deps.cache.write(image);
  return image.id;
}
