/**
 * "Trust this certificate…": the user trusts exactly a certificate a connection to the community
 * was just refused with, once they have seen its fingerprint — never one for another name or
 * outside its dates, and never where the administrator forbids it.
 */
import { mayBeTrusted, type CertificateView } from '../contract/attempt-view.js';
import { certificateFailureWords } from '../contract/certificate-words.js';
import type { SettingsView } from '../contract/contract.js';
import { HandlerError, type Handlers } from '../contract/validate.js';
import type { EventHub } from './events.js';
import { certificateTrustAllowed } from './settings/policy.js';
import type { SettingsService } from './settings/service.js';
import { withoutTrust, withTrust } from './settings/trusted-certificates.js';

/** Enough for every endpoint of a community to have shown its own certificate. */
const REMEMBERED_PER_COMMUNITY = 8;

/** The certificates connections were refused with lately, per community: the only ones a user may trust. */
export class RefusedCertificates {
  readonly #byCommunity = new Map<string, Map<string, CertificateView>>();

  note(communityId: string, certificate: CertificateView): void {
    const refused = this.#byCommunity.get(communityId) ?? new Map<string, CertificateView>();
    refused.delete(certificate.fingerprint256);
    refused.set(certificate.fingerprint256, certificate);
    for (const oldest of refused.keys()) {
      if (refused.size <= REMEMBERED_PER_COMMUNITY) break;
      refused.delete(oldest);
    }
    this.#byCommunity.set(communityId, refused);
  }

  find(communityId: string, fingerprint256: string): CertificateView | undefined {
    return this.#byCommunity.get(communityId)?.get(fingerprint256);
  }
}

export function createCertificateTrust(deps: {
  settings: SettingsService;
  refused: RefusedCertificates;
  events: EventHub;
}): Handlers<'certificates:trust' | 'certificates:forget'> {
  const { settings, refused, events } = deps;
  const saved = async (): Promise<SettingsView> => {
    const view = await settings.view();
    events.emit('settings:changed', view);
    return view;
  };
  return {
    'certificates:trust': async ({ communityId, fingerprint256 }) => {
      if (!certificateTrustAllowed(settings.policy)) throw new HandlerError('forbidden', 'Set by your administrator: certificates cannot be trusted here');
      const certificate = refused.find(communityId, fingerprint256);
      if (!certificate) {
        throw new HandlerError('forbidden', `No connection to this community was refused with the certificate ${fingerprint256} lately; test the connection again`);
      }
      if (!mayBeTrusted(certificate)) throw new HandlerError('forbidden', `This certificate cannot be trusted: ${certificateFailureWords(certificate)}`);
      const { subject, expectedName, notAfter } = certificate;
      settings.store.write(withTrust(settings.store.read(), communityId, { fingerprint256, subject, expectedName, notAfter, trustedAt: new Date().toISOString() }));
      return saved();
    },
    'certificates:forget': async ({ communityId, fingerprint256 }) => {
      settings.store.write(withoutTrust(settings.store.read(), communityId, fingerprint256));
      return saved();
    },
  };
}
