import { z } from 'zod';

/** A server certificate that failed verification, as shown before anyone trusts it. */
export const CertificateView = z.strictObject({ names: z.array(z.string()), issuer: z.string(), fingerprint256: z.string(), validTo: z.string() });
export type CertificateView = z.infer<typeof CertificateView>;

/** Why a race found no path, in the race's own words (electron/core/connection/race.ts). */
export const Diagnosis = z.strictObject({ summary: z.string(), hints: z.array(z.string()) });
export type Diagnosis = z.infer<typeof Diagnosis>;

/** One path of a connection race, as the diagnostics timeline shows it. Times are ms since the race began. */
export const AttemptView = z.strictObject({
  attempt: z.number().int(),
  /** e.g. "BOSH https://chat.example.com:443/http-bind via proxy.example.com:3128" */
  path: z.string(),
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
