/**
 * An account's lifecycle in words: the one place they are made, for the status banner, the tray
 * and the logs. Core sends facts (account-lifecycle.ts); nothing parses these words back.
 */
import type { AccountCause, AccountLifecycle, AccountState, ProxyLogin, Remedy } from './account-lifecycle.js';
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
      return sentence(cause.diagnosis.summary);
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
  }
}

/** "a stanza over 256 KiB": what a server sent beyond Burrow's limits. */
export function tooLargeWords({ what, limitBytes }: Pick<Extract<AccountCause, { kind: 'too-large' }>, 'what' | 'limitBytes'>): string {
  const mebibytes = limitBytes / 2 ** 20;
  const size = Number.isInteger(mebibytes) ? `${mebibytes} MiB` : `${Math.round(limitBytes / 1024)} KiB`;
  return `${what === 'stanza' ? 'a stanza' : 'an answer of its BOSH service'} over ${size}`;
}

const schemeNames: Record<string, string> = { basic: 'Basic', digest: 'Digest', ntlm: 'NTLM', negotiate: 'Negotiate' };

/**
 * What an HTTP proxy's login came to, for the attempts timeline, the diagnose CLI and the banner:
 * "proxy authentication failed at proxy.corp:3128 (407): the proxy's login failed (NTLM); check the
 * Windows user name (DOMAIN\user) and password".
 */
export function proxyLoginWords(proxy: string, { status, offered, tried, credentials }: ProxyLogin): string {
  const schemes = offered.map((scheme) => schemeNames[scheme] ?? scheme).join(', ') || 'no way to log in';
  if (credentials === 'withheld') return `${proxy} asks for a login (${status}); Burrow sends the proxy login only along the paths it may use`;
  if (credentials === 'not-configured') return `${proxy} asks for a login (${status}, ${schemes}); enter the proxy user name and password`;
  if (tried) {
    const check = tried === 'ntlm' ? 'the Windows user name (DOMAIN\\user) and password' : 'the proxy user name and password';
    return `proxy authentication failed at ${proxy} (${status}): the proxy's login failed (${schemeNames[tried]}); check ${check}`;
  }
  if (offered.includes('negotiate')) {
    return `${proxy} wants Negotiate (Kerberos) sign-in (${status}), which Burrow cannot do; ask IT to allow NTLM or Basic sign-in for Burrow`;
  }
  return `${proxy} asks for a login Burrow cannot do (${status}, ${schemes})`;
}

/** What else to try, beyond the cause's sentence. */
export function causeHints(cause: AccountCause): string[] {
  return cause.kind === 'no-path' ? cause.diagnosis.hints.map(sentence) : [];
}

export const remedyWords: Record<Remedy, string> = {
  'fix-password': 'Check the user name and password in File › Preferences › Server Communities.',
  'fix-proxy-credentials': 'Check the proxy user name and password in File › Preferences (Global connection settings, or the community’s Connection tab).',
  'ask-proxy-administrator': 'Ask your IT department to allow NTLM or Basic sign-in at the proxy for Burrow.',
  'review-certificate': 'Check the certificate’s details with your administrator: Burrow does not fall back to a weaker path.',
  'fix-settings': 'Check the host server in File › Preferences › Server Communities, and tell your administrator.',
  'contact-administrator': 'Ask your server’s administrator about this account.',
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

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? capitalised(text) : `${capitalised(text)}.`;
}
