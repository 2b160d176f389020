import { z } from 'zod';

import { Sha256Fingerprint } from '../common/settings/schema.js';
import { AttemptPath } from './attempt-path.js';

/** Why a server certificate failed verification; one certificate may have several problems. */
export const certificateProblems = ['self-signed', 'unknown-issuer', 'name-mismatch', 'expired', 'not-yet-valid', 'invalid'] as const;
export const CertificateProblem = z.enum(certificateProblems);
export type CertificateProblem = z.infer<typeof CertificateProblem>;

/** A server certificate that failed verification, as shown before anyone trusts it. Dates are ISO 8601. */
export const CertificateView = z.strictObject({
  /** The name it had to carry: the XMPP domain. */
  expectedName: z.string(),
  /** Its distinguished names, e.g. "CN=chat.example.com, O=Example". */
  subject: z.string(),
  issuer: z.string(),
  /** The names it is valid for (subjectAltName, else the common name). */
  names: z.array(z.string()),
  notBefore: z.string(),
  notAfter: z.string(),
  fingerprint256: Sha256Fingerprint,
  problems: z.array(CertificateProblem).min(1),
});
export type CertificateView = z.infer<typeof CertificateView>;

/**
 * Only a certificate nobody vouches for may be trusted by the user: never one for another name,
 * nor one outside its dates, nor one that is broken otherwise.
 */
export function mayBeTrusted({ problems }: Pick<CertificateView, 'problems'>): boolean {
  return problems.every((problem) => problem === 'self-signed' || problem === 'unknown-issuer');
}

/** Why a race found no path, in the race's own words (electron/core/connection/race.ts). */
export const Diagnosis = z.strictObject({ summary: z.string(), hints: z.array(z.string()) });
export type Diagnosis = z.infer<typeof Diagnosis>;

/** One path of a connection race, as the diagnostics timeline shows it. Times are ms since the race began. */
export const AttemptView = z.strictObject({
  attempt: z.number().int(),
  path: AttemptPath,
  /** Not tried because it is unencrypted; only probed to explain a failure. */
  excluded: z.boolean(),
  outcome: z.enum(['not-started', 'running', 'won', 'failed', 'cancelled', 'skipped', 'reachable']),
  startedAtMs: z.number().optional(),
  reachedAtMs: z.number().optional(),
  negotiatingAtMs: z.number().optional(),
  endedAtMs: z.number().optional(),
  /** Why it failed, in words a help desk can act on. */
  cause: z.string().optional(),
  certificate: CertificateView.optional(),
});
export type AttemptView = z.infer<typeof AttemptView>;
