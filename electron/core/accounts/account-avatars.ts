/**
 * An account's avatars as the UI sees them: contacts' (and the user's own, by their JID), told one
 * contact at a time as they change, read from disk when the page asks, and the user's own set from
 * bytes the page sends. Only the user's contacts and the user are followed: a stranger's
 * announcements fetch nothing.
 */
import type { AvatarView } from '../../contract/contract.js';
import { HandlerError } from '../../contract/validate.js';
import type { EventHub } from '../events.js';
import type { AvatarAnnounced, Avatars } from '../session/avatars.js';
import type { ReportFault } from '../session/journal.js';
import { requireBareJid } from '../session/stanzas/jid.js';
import { AvatarCache } from './avatar-cache.js';
import type { CheckedAvatar } from './avatar-image.js';
import { ContactAvatars } from './contact-avatars.js';

export interface AccountAvatarsDeps {
  communityId: string;
  events: EventHub;
  /** The live session's avatar requests; throws when the account is not connected. */
  session: () => Pick<Avatars, 'fetch' | 'publish'>;
  isContact: (jid: string) => boolean;
  reportFault: ReportFault;
}

export class AccountAvatars {
  private opened: { account: string; avatars: ContactAvatars } | null = null;

  constructor(private readonly deps: AccountAvatarsDeps) {}

  /** For the account `account`, whose files are in `folder`: what was known is on disk there. */
  open(folder: string, account: string): void {
    const cache = AvatarCache.open(folder);
    const avatars = new ContactAvatars({
      cache,
      session: this.deps.session,
      changed: (jid, image) => this.deps.events.emit('avatars:changed', this.view(jid, image)),
      reportFault: this.deps.reportFault,
    });
    this.opened = { account, avatars };
  }

  /** Fetches what it does not have in the background: sign-in and messages never wait for it. */
  announced(announcement: Omit<AvatarAnnounced, 'kind'>): void {
    const { opened } = this;
    if (!opened || (announcement.from !== opened.account && !this.deps.isContact(announcement.from))) return;
    void opened.avatars.announced(announcement);
  }

  async get(jid: string): Promise<AvatarView> {
    const contact = requireBareJid(jid);
    return this.view(contact, (await this.opened?.avatars.shownBy(contact)) ?? null);
  }

  async setOwn(data: string | null): Promise<AvatarView> {
    const { opened } = this;
    if (!opened) throw new HandlerError('failed', 'This community has no account set up yet.');
    const image = await opened.avatars.publishOwn(opened.account, data === null ? null : new Uint8Array(Buffer.from(data, 'base64')));
    return this.view(opened.account, image);
  }

  private view(jid: string, image: CheckedAvatar | null): AvatarView {
    const { communityId } = this.deps;
    return { communityId, jid, image: image && { hash: image.id, mime: image.type, data: Buffer.from(image.bytes).toString('base64') } };
  }
}
