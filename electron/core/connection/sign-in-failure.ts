/**
 * What a sign-in that did not finish says, as facts (AccountCause) the account's lifecycle decides
 * on and the words module (contract/account-words.ts) puts into words, for the banner, Test
 * connection and `diagnose` alike.
 */
import type { AccountCause } from '../../contract/account-lifecycle.js';
import { errorWords } from '../../contract/error-words.js';
import { isRefusal, TooLargeError } from '../stream/errors.js';
import type { Refusal } from '../stream/errors.js';

export function signInFailureCause(error: unknown): AccountCause {
  if (isRefusal(error)) return refusalCause(error);
  const { name, condition, message } = (error ?? {}) as { name?: string; condition?: string; message?: string };
  if (name === 'SASLError') return { kind: 'sign-in-refused', condition: condition ?? message ?? 'unknown' };
  if (name === 'UnsafeSignInError') return { kind: 'sign-in-unsafe', reason: errorWords(error) };
  // Burrow's own wait, or xmpp.js's for a step, which says nothing.
  if (name === 'TimeoutError') return { kind: 'sign-in-unanswered' };
  return { kind: 'sign-in-failed', message: errorWords(error) };
}

/** Burrow closed the stream: the server sent more at once than it accepts, or XML that is not well-formed. */
export function refusalCause(refusal: Refusal): AccountCause {
  if (refusal instanceof TooLargeError) return { kind: 'too-large', what: refusal.what, limitBytes: refusal.limitBytes };
  return { kind: 'malformed-xml', detail: refusal.detail };
}
