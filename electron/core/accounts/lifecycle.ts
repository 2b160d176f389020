/**
 * An account's connection lifecycle: one explicit state machine, pure, and the only source of the
 * status banner. `Account` feeds it events and does what each transition asks (start a race, wait
 * for a retry); it keeps no state of its own about where the connection stands.
 *
 * The retry rule:
 * - Every failed race and every failed sign-in counts as one more consecutive failure, and the next
 *   try waits `retryDelayMs(failures)`: full jitter below 1 s, 2 s, 4 s … 60 s.
 * - Losing a live connection is recovery: the first loss races again at once. A connection that
 *   proved itself (it stayed up `stableMs`, 30 s, or the server acknowledged what was sent on it)
 *   clears the count. One that did neither clears nothing, and its loss counts as one more
 *   failure, so a server that takes the sign-in and drops it again at once is tried ever less
 *   often; with failures already counted, the loss waits its backoff like any failure.
 * - A sign-in that failed on a resume this server was just learnt to break or leave unanswered, or
 *   a resumed stream it dropped at once, tries again at once, afresh, counting nothing new: what
 *   failed will not be tried again.
 * - A path that turns suspect while online is raced beside without leaving `online`; the path
 *   that takes the stream over is a switch, counted as nothing.
 * - A failure only the user can mend (`remedyFor`) stops retrying: `failed`, with what to do.
 * - The user asking to connect ("Retry now", "Try again"), a network change and a settings change
 *   try again at once, with the count started over: what failed before says little about now.
 */
import { isTrying, type AccountCause, type AttemptPath, type AccountLifecycle, type Remedy, type TryingLifecycle } from '../../contract/contract.js';
import { retryDelayMs, type RetryPolicy } from './retry-policy.js';

export type LifecycleEvent =
  /** The user asks to connect: Connect, Retry now, Try again, a presence other than offline. */
  | { type: 'connect' }
  /** The try found no user name or password to sign in with. */
  | { type: 'not-configured' }
  /** A path carried XMPP; signing in over it. */
  | { type: 'race-won' }
  | { type: 'race-failed'; cause: AccountCause }
  | { type: 'signed-in'; path: AttemptPath; resumed: boolean; connectMs: number }
  /** `learnt`: it failed on a resume the account now knows not to try again on this server. */
  | { type: 'sign-in-failed'; cause: AccountCause; learnt?: boolean }
  /**
   * The stream of a live connection went away. `proven`: the server had acknowledged what was sent
   * on it; `learnt`: it was a resume the account now knows not to try again on this server; `cause`:
   * Burrow closed it over what the server sent (plain `stream-lost` unless given).
   */
  | { type: 'stream-lost'; proven?: boolean; learnt?: boolean; cause?: AccountCause }
  /** A path raced beside a suspect one took the live stream over (resumed, or started afresh). */
  | { type: 'path-switched'; path: AttemptPath; resumed: boolean }
  | { type: 'retry-timer-fired' }
  | { type: 'network-changed' }
  | { type: 'settings-changed' }
  /** Signed out, "offline" presence, or the account closed. */
  | { type: 'sign-out' };

export interface LifecycleContext {
  /** Epoch ms. */
  now: number;
  policy: RetryPolicy;
}

export interface Transition {
  state: AccountLifecycle;
  /** Start a race now; any race under way is outdated and its outcome is ignored. */
  race: boolean;
}

export const initialLifecycle: AccountLifecycle = { state: 'offline' };

/** What the user must do before another try can help; null when trying again may. */
export function remedyFor(cause: AccountCause): Remedy | null {
  switch (cause.kind) {
    case 'proxy-authentication':
      // Credentials the proxy never got a chance to refuse (it wants Negotiate) are not the user's to fix.
      return cause.login?.credentials === 'configured' && !cause.login.tried ? 'ask-proxy-administrator' : 'fix-proxy-credentials';
    case 'certificate':
      return 'review-certificate';
    case 'sign-in-refused':
      if (cause.condition === 'temporary-auth-failure') return null;
      return cause.condition === 'not-authorized' || cause.condition === 'credentials-expired' ? 'fix-password' : 'contact-administrator';
    case 'sign-in-unsafe':
    case 'settings-invalid':
      return 'fix-settings';
    case 'account-in-use':
      // Another Burrow closing mends it by itself: trying again, as backoff allows, finds out.
      return cause.by === 'another-community' ? 'remove-duplicate-community' : null;
    case 'no-path':
    case 'sign-in-failed':
    case 'sign-in-unanswered':
    case 'stream-lost':
    case 'too-large':
    case 'malformed-xml':
      return null;
  }
}

function isSigningIn(state: AccountLifecycle): boolean {
  return (state.state === 'connecting' && state.step === 'signing-in') || (state.state === 'reconnecting' && state.next.step === 'signing-in');
}

const stay = (state: AccountLifecycle): Transition => ({ state, race: false });
const race = (state: AccountLifecycle): Transition => ({ state, race: true });

export function transition(state: AccountLifecycle, event: LifecycleEvent, context: LifecycleContext): Transition {
  const { now } = context;
  switch (event.type) {
    case 'sign-out':
      return stay({ state: 'offline' });
    case 'connect':
      // A try under way is the one asked for; a live connection needs none.
      if (state.state === 'online' || isTrying(state)) return stay(state);
      return tryAfresh(state, now);
    case 'settings-changed':
      // A working connection is left alone (the new settings apply to the next race); the user's sign-out holds.
      // A sign-in under way finishes: its path carries XMPP whatever changed.
      if (state.state === 'online' || state.state === 'offline' || isSigningIn(state)) return stay(state);
      return tryAfresh(state, now);
    case 'network-changed':
      if (isSigningIn(state)) return stay(state);
      if (state.state === 'connecting' || state.state === 'reconnecting') return tryAfresh(state, now);
      if (state.state === 'failed' && dependsOnNetwork(state.cause)) return tryAfresh(state, now);
      return stay(state);
    case 'retry-timer-fired':
      if (state.state !== 'reconnecting' || state.next.step !== 'waiting') return stay(state);
      return race({ ...state, next: { step: 'racing' } });
    case 'not-configured':
      return isTrying(state) ? stay({ state: 'not-configured' }) : stay(state);
    case 'race-won':
      if (!isTrying(state)) return stay(state);
      return stay(state.state === 'connecting' ? { ...state, step: 'signing-in' } : { ...state, next: { step: 'signing-in' } });
    case 'sign-in-failed':
      if (event.learnt && isTrying(state)) return race(retryingAtOnce(state));
      return isTrying(state) ? failed(state, event.cause, context) : stay(state);
    case 'race-failed':
      return isTrying(state) ? failed(state, event.cause, context) : stay(state);
    case 'signed-in':
      if (!isTrying(state)) return stay(state);
      return stay({
        state: 'online',
        since: now,
        path: event.path,
        resumed: event.resumed,
        connectMs: event.connectMs,
        failures: state.state === 'reconnecting' ? state.failures : 0,
      });
    case 'stream-lost':
      return state.state === 'online' ? lost(state, event, context) : stay(state);
    case 'path-switched':
      // Still online, and as stable as before: the switch is recovery, not a failure.
      return state.state === 'online' ? stay({ ...state, path: event.path, resumed: event.resumed }) : stay(state);
  }
}

/** At once, the failures forgotten: the first try of a new start keeps "reconnecting" if the account was. */
function tryAfresh(state: AccountLifecycle, now: number): Transition {
  if (state.state === 'reconnecting') return race({ ...state, failures: 0, next: { step: 'racing' } });
  return race({ state: 'connecting', since: now, step: 'racing' });
}

/** The same try once more, at once, with the failures counted so far. */
function retryingAtOnce(state: TryingLifecycle): AccountLifecycle {
  return state.state === 'reconnecting' ? { ...state, next: { step: 'racing' } } : { ...state, step: 'racing' };
}

/** A proxy's demand or a certificate may belong to the network the user was on, not to their settings. */
function dependsOnNetwork(cause: AccountCause): boolean {
  return cause.kind === 'proxy-authentication' || cause.kind === 'certificate';
}

function failed(state: TryingLifecycle, cause: AccountCause, { now, policy }: LifecycleContext): Transition {
  const remedy = remedyFor(cause);
  if (remedy) return stay({ state: 'failed', since: now, cause, remedy });
  const failures = (state.state === 'reconnecting' ? state.failures : 0) + 1;
  const since = state.state === 'reconnecting' ? state.since : now;
  return stay({ state: 'reconnecting', since, cause, failures, next: { step: 'waiting', retryAt: now + retryDelayMs(failures, policy) } });
}

function lost(
  state: Extract<AccountLifecycle, { state: 'online' }>,
  { proven, learnt, cause = { kind: 'stream-lost' } }: Extract<LifecycleEvent, { type: 'stream-lost' }>,
  { now, policy }: LifecycleContext,
): Transition {
  if (learnt) return race({ state: 'reconnecting', since: now, cause, failures: state.failures, next: { step: 'racing' } });
  // A server that broke Burrow's limits (too much at once, XML not well-formed) will likely do so again: however stable the stream was, its loss counts.
  const stable = cause.kind === 'stream-lost' && (proven === true || now - state.since >= policy.stableMs);
  const failures = stable ? 0 : state.failures + 1;
  if (failures <= 1) return race({ state: 'reconnecting', since: now, cause, failures, next: { step: 'racing' } });
  return stay({ state: 'reconnecting', since: now, cause, failures, next: { step: 'waiting', retryAt: now + retryDelayMs(failures, policy) } });
}
