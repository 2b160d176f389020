/**
 * An account's lifecycle in words: the one place they are made, for the status banner, the tray
 * and the logs. Core sends facts (account-lifecycle.ts); nothing parses these words back.
 */
import type { AccountCause, AccountLifecycle, AccountState, Remedy } from './account-lifecycle.js';
import { proxyLoginWords, tooLargeWords } from './attempt-words.js';
import { adviceFor, failureVerdict, type Advice } from './diagnosis-words.js';
import { capitalised, sentence } from './sentence.js';
import type { AccountView } from './messaging.js';

/** The state in a word or two: "Lab: reconnecting". */
export const stateWords: Record<AccountState, string> = {
  'not-configured': 'not set up',
  offline: 'offline',
  connecting: 'connecting…',
  online: 'connected',
  reconnecting: 'reconnecting',
  failed: 'not connected',
};

/** One sentence: why the account is not online. */
export function causeWords(cause: AccountCause): string {
  switch (cause.kind) {
    case 'no-path':
      return failureVerdict(cause.diagnosis);
    case 'proxy-authentication': {
      const proxies = cause.proxies.join(' and ');
      return cause.login ? sentence(proxyLoginWords(proxies, cause.login)) : `${capitalised(proxies)} refused the proxy user name and password.`;
    }
    case 'certificate':
      return `The server's certificate failed verification: ${cause.detail}.`;
    case 'sign-in-refused':
      return cause.condition === 'not-authorized' ? 'The server refused the user name or password.' : `The server refused to sign in (${cause.condition}).`;
    case 'sign-in-unsafe':
      return `Burrow stopped signing in: ${cause.reason}.`;
    case 'sign-in-failed':
      return `Signing in failed: ${cause.message}.`;
    case 'sign-in-unanswered':
      return 'The server did not answer the sign-in in time.';
    case 'stream-lost':
      return 'The connection was lost.';
    case 'too-large':
      return `The server sent ${tooLargeWords(cause)}, more than Burrow accepts, so Burrow closed the connection.`;
    case 'malformed-xml':
      return `The server sent XML that is not well-formed (${cause.detail}), so Burrow closed the connection.`;
    case 'settings-invalid':
      return `The saved settings cannot be used: ${cause.message}.`;
    case 'account-in-use':
      return cause.by === 'another-community'
        ? `Another server community in Burrow signs in as ${cause.jid} already; one account can be signed in by one community only.`
        : `Another Burrow${cause.pid ? ` (process ${cause.pid})` : ''} is using ${cause.jid}'s messages in the same data folder; Burrow tries again once it has closed.`;
  }
}

/** What can be done, by whom, and where in Preferences, beyond the cause's sentence. */
export function causeAdvice(cause: AccountCause): Advice[] {
  switch (cause.kind) {
    case 'no-path':
      return cause.diagnosis.obstacle ? adviceFor(cause.diagnosis.obstacle) : [];
    case 'proxy-authentication':
      return adviceFor({ kind: 'proxy-login', proxy: cause.proxies.join(' and '), ...(cause.login ? { proxyLogin: cause.login } : {}) });
    case 'certificate':
      return adviceFor({ kind: 'certificate', expectedName: cause.certificate?.expectedName ?? cause.path.endpoint.host, ...(cause.certificate ? { certificate: cause.certificate } : {}) });
    case 'sign-in-refused':
      return cause.condition === 'not-authorized' ? [{ by: 'you', words: 'Check the user name and password.', field: 'username' }] : [];
    default:
      return [];
  }
}

export const remedyWords: Record<Remedy, string> = {
  'fix-password': 'Check the user name and password in File › Preferences › Server Communities.',
  'fix-proxy-credentials': 'Check the proxy user name and password in File › Preferences (Global connection settings, or the community’s Connection tab).',
  'ask-proxy-administrator': 'Ask your IT department to allow NTLM or Basic sign-in at the proxy for Burrow.',
  'review-certificate': 'Check the certificate’s details with your administrator: Burrow does not fall back to a weaker path.',
  'fix-settings': 'Check the host server in File › Preferences › Server Communities, and tell your administrator.',
  'contact-administrator': 'Ask your server’s administrator about this account.',
  'remove-duplicate-community': 'Remove one of the two communities with this account in File › Preferences › Server Communities.',
};

/** "Reconnecting in 12 s", counting down to the next try; "Reconnecting…" while it runs. */
export function reconnectingWords(lifecycle: Extract<AccountLifecycle, { state: 'reconnecting' }>, now: number): string {
  const seconds = lifecycle.next.step === 'waiting' ? Math.ceil((lifecycle.next.retryAt - now) / 1000) : 0;
  return seconds > 0 ? `Reconnecting in ${seconds} s` : 'Reconnecting…';
}

/**
 * "Lab: connected", "Lab: not connected (The server refused the user name or password.)": the tray
 * and the logs; without the cause where space is short.
 */
export function accountStatusLine({ displayName, lifecycle }: Pick<AccountView, 'displayName' | 'lifecycle'>, { withCause = true } = {}): string {
  const why = withCause && (lifecycle.state === 'failed' || lifecycle.state === 'reconnecting') ? ` (${causeWords(lifecycle.cause)})` : '';
  return `${displayName}: ${stateWords[lifecycle.state]}${why}`;
}
