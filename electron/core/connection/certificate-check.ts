/**
 * What is wrong with a server certificate, as facts: OpenSSL reports one error per chain, so the
 * name and the dates are checked here too — a certificate the user trusts must pass both.
 */
import { checkServerIdentity } from 'node:tls';
import type { PeerCertificate } from 'node:tls';

import { mayBeTrusted, type CertificateProblem, type CertificateView } from '../../contract/attempt-view.js';
import { certificateProblems } from '../../contract/attempt-view.js';

const problemOfCode: Record<string, CertificateProblem> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'unknown-issuer',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unknown-issuer',
  UNABLE_TO_GET_ISSUER_CERT: 'unknown-issuer',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown-issuer',
  CERT_UNTRUSTED: 'unknown-issuer',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'name-mismatch',
};

/** The error codes of Node and OpenSSL that mean a certificate failed verification. */
export function isCertificateCode(code: string): boolean {
  return Object.hasOwn(problemOfCode, code) || code.startsWith('CERT_');
}

/** Every problem of `peer` for `expectedName`, OpenSSL's `code` included; sorted, without repeats. */
export function certificateProblemsOf(peer: PeerCertificate, expectedName: string, code: string, now = new Date()): CertificateProblem[] {
  const found = new Set<CertificateProblem>([problemOfCode[code] ?? 'invalid']);
  if (checkServerIdentity(expectedName, peer) !== undefined) found.add('name-mismatch');
  if (Date.parse(peer.valid_to) < now.getTime()) found.add('expired');
  if (Date.parse(peer.valid_from) > now.getTime()) found.add('not-yet-valid');
  return certificateProblems.filter((problem) => found.has(problem));
}

export function certificateView(peer: PeerCertificate, expectedName: string, problems: CertificateProblem[]): CertificateView {
  const altNames = (peer.subjectaltname ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith('DNS:') || entry.startsWith('IP Address:'))
    .map((entry) => entry.slice(entry.indexOf(':') + 1));
  const commonName = firstValue(peer.subject?.CN);
  return {
    expectedName,
    subject: distinguishedName(peer.subject),
    issuer: distinguishedName(peer.issuer),
    names: altNames.length > 0 ? altNames : commonName ? [commonName] : [],
    notBefore: new Date(peer.valid_from).toISOString(),
    notAfter: new Date(peer.valid_to).toISOString(),
    fingerprint256: peer.fingerprint256,
    problems,
  };
}

/** The user's trust lets exactly that certificate through, and only where nothing but its issuer is wrong. */
export function trustedDespite(certificate: CertificateView, trustedFingerprints: readonly string[] = []): boolean {
  return mayBeTrusted(certificate) && trustedFingerprints.includes(certificate.fingerprint256);
}

/** "CN=chat.example.com, O=Example"; Node gives a repeated field as an array. */
function distinguishedName(name: PeerCertificate['subject'] | undefined): string {
  const parts = Object.entries(name ?? {}).flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((one) => `${key}=${one}`));
  return parts.length > 0 ? parts.join(', ') : 'an unnamed party';
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
