/**
 * What a failed race says, as facts the lifecycle decides on and the UI puts into words
 * (contract/account-words.ts); a sign-in that did not finish is connection/sign-in-failure.ts's.
 */
import { attemptCauseWords } from '../../contract/attempt-words.js';
import type { AccountCause } from '../../contract/contract.js';
import { attemptPath, describeRoute } from '../connection/candidate.js';
import type { Diagnosis } from '../../contract/diagnosis.js';
import type { AttemptRecord } from '../connection/race.js';

/**
 * A certificate failure is the user's to review, whatever else failed. The proxy's refusal of the
 * credentials is theirs to mend when no path reached the server past it: another race would only
 * cost another failed proxy login, and proxies lock accounts after a few.
 */
export function raceFailureCause(attempts: readonly AttemptRecord[], diagnosis: Diagnosis): AccountCause {
  const certificate = attempts.find((attempt) => attempt.cause?.kind === 'certificate');
  if (certificate?.cause?.kind === 'certificate') {
    const { candidate, cause } = certificate;
    return { kind: 'certificate', path: attemptPath(candidate), detail: attemptCauseWords(cause), ...(cause.certificate ? { certificate: cause.certificate } : {}) };
  }
  // A probe goes without the proxy credentials: a proxy asking it for them says nothing of the user's.
  const refusedByProxy = attempts.filter((attempt) => !attempt.excluded && attempt.cause?.kind === 'proxy-authentication');
  // An HTTP request through the proxy (BOSH) is refused in its XMPP stage: that is not reaching the server.
  const reachedServer = attempts.some(
    (attempt) => attempt.cause?.kind !== 'proxy-authentication' && (attempt.negotiatingAtMs !== undefined || attempt.outcome === 'reachable'),
  );
  if (refusedByProxy.length > 0 && !reachedServer) {
    const login = refusedByProxy.map(({ cause }) => (cause?.kind === 'proxy-authentication' ? cause.proxyLogin : undefined)).find(Boolean);
    const proxies = [...new Set(refusedByProxy.map((attempt) => describeRoute(attempt.candidate.route)))];
    return { kind: 'proxy-authentication', proxies, ...(login ? { login } : {}) };
  }
  return { kind: 'no-path', diagnosis };
}
