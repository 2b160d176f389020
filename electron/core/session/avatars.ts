/**
 * The session's part of avatars: passing on what contacts announce (PEP notifications, vCard
 * hashes in presence), fetching an avatar's bytes from where it was announced, and publishing the
 * user's own both ways — XEP-0084 for clients that follow PEP, the vCard photo for those that read
 * only vCards. Whether bytes are an image, and keeping them, is the account's.
 */
import { StanzaError } from '../stream/iq-caller.js';
import type { SessionLink } from './session-link.js';
import {
  avatarDataGet,
  avatarPublish,
  avatarPublishOptions,
  avatarUnpublish,
  parseAvatarData,
  parseAvatarMetadataEvent,
  parseVcardPhoto,
  parseVcardUpdate,
  vcardGet,
  vcardSetPhoto,
  type AvatarAnnounced,
  type AvatarImage,
} from './stanzas/avatar.js';
import type { Ignored } from './stanzas/parsed.js';
import type { Element } from './stanzas/xml.js';

export type { AvatarAnnounced, AvatarImage } from './stanzas/avatar.js';

/** How a server refuses publish options it will not apply (XEP-0060 §7.1.5: precondition-not-met; others in the wild). */
const refusalsOfOptions = ['precondition-not-met', 'not-acceptable', 'bad-request', 'conflict', 'feature-not-implemented'];

export class Avatars {
  /** Publish options the server took or refused (ejabberd and Prosody differ): tried once, then left out if refused. */
  private optionsRefused = false;

  constructor(private readonly link: SessionLink) {}

  /** A PEP notification: told on when it is an avatar's, ignored with its reason when it is another node's. */
  handleEvent(message: Element): void {
    this.tell(parseAvatarMetadataEvent(message));
  }

  /** A presence's vCard hash (XEP-0153), when it has one. */
  handlePresence(presence: Element): void {
    const announced = parseVcardUpdate(presence);
    if (announced.kind === 'avatar-announced') this.tell(announced);
  }

  /** The bytes of the avatar `id` as announced, null when the vCard has no photo; rejects when the request fails. */
  async fetch(jid: string, id: string, source: AvatarAnnounced['source']): Promise<Uint8Array | null | Ignored> {
    const answer = await this.link.request(source === 'pep' ? avatarDataGet(jid, id) : vcardGet(jid));
    const parsed = source === 'pep' ? parseAvatarData(answer, id) : parseVcardPhoto(answer);
    if (parsed.kind === 'avatar-bytes') return parsed.bytes;
    return parsed.kind === 'no-photo' ? null : parsed;
  }

  /** The data, then the metadata (XEP-0084), then the vCard's photo; `image` null removes it everywhere. */
  async publish(image: AvatarImage | null): Promise<void> {
    if (image) {
      await this.requestWithOptions((options) => avatarPublish(image, options)[0]);
      await this.requestWithOptions((options) => avatarPublish(image, options)[1]);
    } else {
      await this.link.request(avatarUnpublish());
    }
    await this.link.request(vcardSetPhoto(await this.ownVcard(), image));
  }

  /** With the publish options, and once more without them should the server refuse them (then never again). */
  private async requestWithOptions(build: (options: typeof avatarPublishOptions | null) => Element): Promise<void> {
    if (!this.optionsRefused) {
      try {
        await this.link.request(build(avatarPublishOptions));
        return;
      } catch (error) {
        if (!(error instanceof StanzaError) || !refusalsOfOptions.includes(error.condition)) throw error;
        this.optionsRefused = true;
      }
    }
    await this.link.request(build(null));
  }

  /** The user's vCard as the server keeps it, or null when they have none yet. */
  private async ownVcard(): Promise<Element | null> {
    try {
      return await this.link.request(vcardGet());
    } catch (error) {
      if (error instanceof StanzaError && ['item-not-found', 'service-unavailable'].includes(error.condition)) return null;
      throw error;
    }
  }

  private tell(announced: AvatarAnnounced | Ignored): void {
    if (announced.kind === 'ignored') this.link.emit({ type: 'ignored', reason: announced.reason });
    else this.link.emit({ type: 'avatar-announced', from: announced.from, id: announced.id, source: announced.source });
  }
}
