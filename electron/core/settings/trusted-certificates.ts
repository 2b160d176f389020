/**
 * The certificates users chose to trust, per community: added only for a certificate that may be
 * trusted and that the user was just shown, removed at will, and never touched by settings:save.
 */
import type { Settings, TrustedCertificate } from '../../common/settings/schema.js';
import { certificateTrustAllowed, type AdministratorPolicy } from './policy.js';
import { resolveCommunities } from './resolve.js';

/** `next` with the trusted certificates as stored, for the communities it still has. */
export function keepStoredTrust(stored: Settings, next: Settings, policy: AdministratorPolicy): Settings {
  const present = new Set(resolveCommunities(next, policy).map(({ community }) => community.id));
  const kept = Object.entries(stored.trustedCertificates).filter(([communityId]) => present.has(communityId));
  return { ...next, trustedCertificates: Object.fromEntries(kept) };
}

export function withTrust(settings: Settings, communityId: string, certificate: TrustedCertificate): Settings {
  const others = trustedFor(settings, communityId).filter(({ fingerprint256 }) => fingerprint256 !== certificate.fingerprint256);
  return { ...settings, trustedCertificates: { ...settings.trustedCertificates, [communityId]: [...others, certificate] } };
}

export function withoutTrust(settings: Settings, communityId: string, fingerprint256: string): Settings {
  const { [communityId]: current = [], ...others } = settings.trustedCertificates;
  const left = current.filter((certificate) => certificate.fingerprint256 !== fingerprint256);
  return { ...settings, trustedCertificates: left.length > 0 ? { ...others, [communityId]: left } : others };
}

function trustedFor(settings: Settings, communityId: string): TrustedCertificate[] {
  return settings.trustedCertificates[communityId] ?? [];
}

/** What the connection manager applies: nothing where the administrator forbids users to trust certificates. */
export function appliedFingerprints(settings: Settings, policy: AdministratorPolicy, communityId: string): string[] {
  return certificateTrustAllowed(policy) ? trustedFor(settings, communityId).map(({ fingerprint256 }) => fingerprint256) : [];
}
