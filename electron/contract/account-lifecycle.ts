/**
 * An account's connection lifecycle as the contract carries it: one state, named, with the facts
 * of its cause. Core's state machine (electron/core/accounts/lifecycle.ts) produces exactly this
 * type, and the status banner renders from it alone; the words are made in account-words.ts.
 */
import { z } from 'zod';

import { AttemptPath } from './attempt-path.js';
import { CertificateView, ProxyLogin } from './attempt-view.js';
import { Diagnosis } from './diagnosis.js';
import { pathLine } from './attempt-words.js';

export { ProxyLogin } from './attempt-view.js';

/** Why the account is not online, as facts. */
export const AccountCause = z.discriminatedUnion('kind', [
  /** The race found no path; transient (the server may be down, the network filtering). */
  z.strictObject({ kind: z.literal('no-path'), diagnosis: Diagnosis }),
  /**
   * Every path failed and the proxy refused the login on the way (or asked for one Burrow cannot
   * give): retrying only locks the user out. `login` is the HTTP proxy's side of it (none for SOCKS).
   */
  z.strictObject({ kind: z.literal('proxy-authentication'), proxies: z.array(z.string()), login: ProxyLogin.optional() }),
  /** The server's certificate failed verification; never worked around by a weaker path. */
  z.strictObject({ kind: z.literal('certificate'), path: AttemptPath, detail: z.string(), certificate: CertificateView.optional() }),
  /** The server refused to sign in (a SASL condition such as not-authorized, account-disabled). */
  z.strictObject({ kind: z.literal('sign-in-refused'), condition: z.string() }),
  /** Burrow stopped a sign-in that would have been unsafe to finish. */
  z.strictObject({ kind: z.literal('sign-in-unsafe'), reason: z.string() }),
  /** Signing in failed in a way that may pass (the path dropped, a timeout). */
  z.strictObject({ kind: z.literal('sign-in-failed'), message: z.string() }),
  /** The server never answered a step of signing in in time. */
  z.strictObject({ kind: z.literal('sign-in-unanswered') }),
  /** The stream of a live connection went away. */
  z.strictObject({ kind: z.literal('stream-lost') }),
  /** The server sent more at once than Burrow accepts (a stanza, or an answer of its BOSH service), and Burrow closed the stream. */
  z.strictObject({ kind: z.literal('too-large'), what: z.enum(['stanza', 'bosh-answer']), limitBytes: z.number().int().positive() }),
  /** The server sent XML that is not well-formed (or not UTF-8), and Burrow closed the stream; `detail` says what was wrong. */
  z.strictObject({ kind: z.literal('malformed-xml'), detail: z.string() }),
  /** The community's saved settings cannot be used as they are. */
  z.strictObject({ kind: z.literal('settings-invalid'), message: z.string() }),
  /**
   * The account's history is open already: another community of this Burrow signs in as the same
   * account, or another Burrow (process `pid`) uses the same data folder.
   */
  z.strictObject({ kind: z.literal('account-in-use'), jid: z.string(), by: z.enum(['another-community', 'another-burrow']), pid: z.number().int().positive().optional() }),
]);
export type AccountCause = z.infer<typeof AccountCause>;

/** What the user must do before trying again helps. */
export const Remedy = z.enum([
  'fix-password',
  'fix-proxy-credentials',
  /** The proxy wants a sign-in Burrow cannot give (Negotiate): only its administrators can change that. */
  'ask-proxy-administrator',
  'review-certificate',
  'fix-settings',
  'contact-administrator',
  /** Two communities sign in as one account: one of them must go. */
  'remove-duplicate-community',
]);
export type Remedy = z.infer<typeof Remedy>;

/** Epoch milliseconds. */
const At = z.number();

/**
 * The next try while reconnecting: waiting until `retryAt`, racing the paths, or signing in over
 * the path that won.
 */
export const RetryStep = z.discriminatedUnion('step', [
  z.strictObject({ step: z.literal('waiting'), retryAt: At }),
  z.strictObject({ step: z.literal('racing') }),
  z.strictObject({ step: z.literal('signing-in') }),
]);
export type RetryStep = z.infer<typeof RetryStep>;

export const AccountLifecycle = z.discriminatedUnion('state', [
  /** Signed out by the user (or "offline" presence): nothing is tried until they connect. */
  z.strictObject({ state: z.literal('offline') }),
  /** No user name or password saved yet. */
  z.strictObject({ state: z.literal('not-configured') }),
  /** The first try since the user asked to connect. */
  z.strictObject({ state: z.literal('connecting'), since: At, step: z.enum(['racing', 'signing-in']) }),
  z.strictObject({
    state: z.literal('online'),
    since: At,
    /** The winning path. */
    path: AttemptPath,
    /** The stream was resumed (XEP-0198) rather than started afresh. */
    resumed: z.boolean(),
    /** How long the try that brought it online took. */
    connectMs: z.number(),
    /** Failures counted before this connection; it clears them only once it has proved stable. */
    failures: z.number().int().nonnegative(),
  }),
  z.strictObject({
    state: z.literal('reconnecting'),
    /** When the account stopped being online (or its first try failed). */
    since: At,
    /** Why the last try failed, or why the connection went. */
    cause: AccountCause,
    /** Consecutive failures so far: the backoff grows with them. */
    failures: z.number().int().nonnegative(),
    next: RetryStep,
  }),
  /** A failure only the user can mend: nothing is tried until they change something. */
  z.strictObject({ state: z.literal('failed'), since: At, cause: AccountCause, remedy: Remedy }),
]);
export type AccountLifecycle = z.infer<typeof AccountLifecycle>;
export type AccountState = AccountLifecycle['state'];

/** A try under way: connecting, or reconnecting and racing or signing in (not waiting to retry). */
export type TryingLifecycle =
  | Extract<AccountLifecycle, { state: 'connecting' }>
  | (Extract<AccountLifecycle, { state: 'reconnecting' }> & { next: { step: 'racing' | 'signing-in' } });

export function isTrying(lifecycle: AccountLifecycle): lifecycle is TryingLifecycle {
  return lifecycle.state === 'connecting' || (lifecycle.state === 'reconnecting' && lifecycle.next.step !== 'waiting');
}

/** The path that won, in full, while online; null otherwise. */
export function onlinePath(lifecycle: AccountLifecycle): string | null {
  return lifecycle.state === 'online' ? pathLine(lifecycle.path) : null;
}
