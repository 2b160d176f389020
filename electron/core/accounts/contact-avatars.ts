/**
 * Contacts' avatars and one's own: what an announcement (a PEP notification or a vCard hash in
 * presence) means, fetching the image only when it is not on disk yet, and telling the change for
 * one contact at a time. Publishing one's own goes through the same checks.
 */
import type { AvatarAnnounced, Avatars } from '../session/avatars.js';
import type { ReportFault } from '../session/journal.js';
import { StanzaError } from '../stream/iq-caller.js';
import { errorWords } from '../../contract/error-words.js';
import { HandlerError } from '../../contract/validate.js';
import type { AvatarCache } from './avatar-cache.js';
import { checkAvatarBytes, type CheckedAvatar } from './avatar-image.js';

export interface ContactAvatarsDeps {
  cache: AvatarCache;
  /** The live session's avatar requests (they reject when it is offline). */
  session: () => Pick<Avatars, 'fetch' | 'publish'>;
  /** One contact now shows another avatar, or none. */
  changed: (jid: string, image: CheckedAvatar | null) => void;
  /** Why an avatar was not shown: a notice, never a crash. */
  reportFault: ReportFault;
}

export class ContactAvatars {
  /** Contacts that publish over PEP: their vCard hashes, which may lag, are not followed. */
  private readonly onPep = new Set<string>();
  private readonly fetching = new Map<string, Promise<void>>();
  /** Avatars refused or failed in this run ("jid id"): announced again (each sign-in), they are not fetched again nor told again. */
  private readonly refused = new Set<string>();

  constructor(private readonly deps: ContactAvatarsDeps) {}

  announced({ from, id, source }: Omit<AvatarAnnounced, 'kind'>): Promise<void> {
    if (source === 'pep') this.onPep.add(from);
    else if (this.onPep.has(from)) return Promise.resolve();
    const key = `${from} ${id ?? ''}`;
    if (this.refused.has(key)) return Promise.resolve();
    const running = this.fetching.get(key);
    if (running) return running;
    const done = this.follow(from, id, source).finally(() => this.fetching.delete(key));
    this.fetching.set(key, done);
    return done;
  }

  /** The avatar a contact shows as last known, from disk. */
  async shownBy(jid: string): Promise<CheckedAvatar | null> {
    const id = this.deps.cache.idOf(jid);
    return id === undefined ? null : this.deps.cache.read(id);
  }

  /** Publishes the user's avatar (`bytes` null: removes it), checked like anyone's and kept on disk. */
  async publishOwn(account: string, bytes: Uint8Array | null): Promise<CheckedAvatar | null> {
    const image = bytes && checkAvatarBytes(bytes);
    if (image?.kind === 'ignored') throw new HandlerError('failed', `This image cannot be your avatar: ${image.reason}.`);
    // On disk first: the server's notification of it, back to the user's own devices, then finds it there.
    if (image) await this.deps.cache.write(image);
    await this.deps.session().publish(image);
    this.show(account, image);
    return image;
  }

  private async follow(jid: string, id: string | null, source: AvatarAnnounced['source']): Promise<void> {
    if (id === null) return this.show(jid, null);
    const image = (await this.deps.cache.read(id)) ?? (await this.fetch(jid, id, source));
    if (image) this.show(jid, image);
  }

  private async fetch(jid: string, id: string, source: AvatarAnnounced['source']): Promise<CheckedAvatar | null> {
    try {
      const bytes = await this.deps.session().fetch(jid, id, source);
      if (bytes === null) return null;
      const image = bytes instanceof Uint8Array ? checkAvatarBytes(bytes, id) : bytes;
      if (image.kind === 'ignored') {
        this.refused.add(`${jid} ${id}`);
        this.deps.reportFault('warning', `${jid}'s avatar was not shown: ${image.reason}.`);
        return null;
      }
      await this.deps.cache.write(image);
      return image;
    } catch (error) {
      // Refused by their server (not a connection lost under the request, which the next announcement retries).
      if (error instanceof StanzaError) this.refused.add(`${jid} ${id}`);
      this.deps.reportFault('info', `${jid}'s avatar could not be fetched: ${errorWords(error)}`);
      return null;
    }
  }

  private show(jid: string, image: CheckedAvatar | null): void {
    const id = image?.id ?? null;
    if ((this.deps.cache.idOf(jid) ?? null) === id) return;
    this.deps.cache.assign(jid, id);
    this.deps.changed(jid, image);
  }
}
