/**
 * The session's part of HTTP File Upload (XEP-0363): finds the server's upload service (disco#items
 * on the domain, then disco#info on each item) and asks it for slots. The bytes travel elsewhere,
 * along the session's route (connection/http-transfer.ts).
 */
import { StanzaError } from '../stream/iq-caller.js';
import type { SessionLink } from './session-link.js';
import { discoInfo, discoItems, itemJids, parseSlot, slotRefusal, slotRequest, uploadServiceOf } from './stanzas/http-upload.js';
import type { SlotRefusal, UploadService, UploadSlot } from './stanzas/http-upload.js';

export type { SlotRefusal, UploadService, UploadSlot } from './stanzas/http-upload.js';

/** The service refused the slot; `refusal` says why. */
export class SlotRefusedError extends Error {
  override name = 'SlotRefusedError';
  constructor(readonly refusal: SlotRefusal) {
    super(`the upload service refused the file (${refusal.kind})`);
  }
}

export interface FileToShare {
  name: string;
  size: number;
  contentType: string;
}

export class UploadSlots {
  /** Found once per session; a look-up that failed or found nothing is tried again next time. */
  private found: Promise<UploadService | null> | null = null;

  constructor(
    private readonly domain: string,
    private readonly link: SessionLink,
  ) {}

  service(): Promise<UploadService | null> {
    if (!this.found) {
      const finding = this.find();
      this.found = finding;
      finding.then(
        (service) => service ?? this.forget(finding),
        () => this.forget(finding),
      );
    }
    return this.found;
  }

  async slot(file: FileToShare): Promise<UploadSlot> {
    const service = await this.service();
    if (!service) throw new Error(`${this.domain} offers no file upload`);
    try {
      return parseSlot(await this.link.request(slotRequest(service.jid, file)));
    } catch (error) {
      if (error instanceof StanzaError) throw new SlotRefusedError(slotRefusal(error.stanza));
      throw error;
    }
  }

  private forget(finding: Promise<unknown>): void {
    if (this.found === finding) this.found = null;
  }

  /** The domain's items first, as servers list their components there; the domain itself last. */
  private async find(): Promise<UploadService | null> {
    const items = await this.link.request(discoItems(this.domain)).then(itemJids, () => []);
    const services = await Promise.all(
      [...items, this.domain].map((jid) => this.link.request(discoInfo(jid)).then((info) => uploadServiceOf(jid, info), () => null)),
    );
    return services.find((service) => service !== null) ?? null;
  }
}
