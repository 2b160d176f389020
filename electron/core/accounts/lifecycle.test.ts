import { describe, expect, it } from 'vitest';

import type { AccountCause, AccountLifecycle, AttemptPath, Remedy } from '../../contract/contract.js';
import { remedyFor, transition, type LifecycleEvent } from './lifecycle.js';
import { retryPolicy } from './retry-policy.js';

const now = 1_000_000;
/** The largest delay each time: the ceiling of the jitter. */
const policy = retryPolicy({ baseMs: 1000, capMs: 60_000, stableMs: 30_000, random: () => 0.999_999 });
const at = (ms: number) => ({ now: ms, policy });

const path: AttemptPath = { transport: 'directtls', endpoint: { host: 'chat.lab.test', port: 5223, secure: true }, route: { kind: 'direct' } };
const wss: AttemptPath = { transport: 'websocket', endpoint: { host: 'chat.lab.test', port: 443, path: '/ws', secure: true }, route: { kind: 'direct' } };
const noPath: AccountCause = { kind: 'no-path', diagnosis: { host: 'chat.lab.test', tried: 2, elapsedMs: 40 } };
const wrongPassword: AccountCause = { kind: 'sign-in-refused', condition: 'not-authorized' };
const proxyRefusedLogin: AccountCause = { kind: 'proxy-authentication', proxies: ['HTTP proxy proxy.lab.test:3128'] };
const proxyAsked401: AccountCause = {
  kind: 'proxy-authentication',
  proxies: ['HTTP proxy proxy.lab.test:3128'],
  login: { status: 401, offered: ['basic'], tried: 'basic', credentials: 'configured' },
};
const proxyWantsNegotiate: AccountCause = {
  kind: 'proxy-authentication',
  proxies: ['HTTP proxy proxy.lab.test:3128'],
  login: { status: 407, offered: ['negotiate'], credentials: 'configured' },
};
const lost: AccountCause = { kind: 'stream-lost' };
const tooLarge: AccountCause = { kind: 'too-large', what: 'stanza', limitBytes: 262_144 };
const malformed: AccountCause = { kind: 'malformed-xml', detail: 'an end tag closes no element' };

const offline: AccountLifecycle = { state: 'offline' };
const notConfigured: AccountLifecycle = { state: 'not-configured' };
const connecting: AccountLifecycle = { state: 'connecting', since: now - 500, step: 'racing' };
const signingIn: AccountLifecycle = { state: 'connecting', since: now - 500, step: 'signing-in' };
const online = (sinceMs: number, failures = 0): AccountLifecycle => ({ state: 'online', since: now - sinceMs, path, resumed: false, connectMs: 80, failures });
const waiting = (failures: number, retryAt = now + 5000): AccountLifecycle => ({
  state: 'reconnecting',
  since: now - 60_000,
  cause: noPath,
  failures,
  next: { step: 'waiting', retryAt },
});
const retrying = (failures: number, step: 'racing' | 'signing-in' = 'racing'): AccountLifecycle => ({
  state: 'reconnecting',
  since: now - 60_000,
  cause: noPath,
  failures,
  next: { step },
});
const failed = (cause: AccountCause): AccountLifecycle => ({ state: 'failed', since: now - 10_000, cause, remedy: remedyFor(cause)! });

interface Case {
  behaviour: string;
  from: AccountLifecycle;
  event: LifecycleEvent;
  to: AccountLifecycle;
  race?: boolean;
}

function check({ from, event, to, race = false }: Case) {
  expect(transition(from, event, at(now))).toEqual({ state: to, race });
}

describe('the account lifecycle: connecting', () => {
  const cases: Case[] = [
    { behaviour: 'an offline account connects when asked', from: offline, event: { type: 'connect' }, to: { state: 'connecting', since: now, step: 'racing' }, race: true },
    { behaviour: 'an account not set up tries when asked (the try finds out)', from: notConfigured, event: { type: 'connect' }, to: { state: 'connecting', since: now, step: 'racing' }, race: true },
    { behaviour: 'a try under way is the one asked for: no second race', from: connecting, event: { type: 'connect' }, to: connecting },
    { behaviour: 'an online account needs no race when asked to connect', from: online(5000), event: { type: 'connect' }, to: online(5000) },
    { behaviour: 'a try without a user name or password says the account is not set up', from: connecting, event: { type: 'not-configured' }, to: notConfigured },
    { behaviour: 'a won race goes on to sign in', from: connecting, event: { type: 'race-won' }, to: signingIn },
    {
      behaviour: 'a sign-in brings the account online, with its path, and no failures counted',
      from: signingIn,
      event: { type: 'signed-in', path, resumed: false, connectMs: 80 },
      to: online(0),
    },
    {
      behaviour: 'a first race that fails waits up to 1 s before the next',
      from: connecting,
      event: { type: 'race-failed', cause: noPath },
      to: { state: 'reconnecting', since: now, cause: noPath, failures: 1, next: { step: 'waiting', retryAt: now + 999 } },
    },
    {
      behaviour: 'a sign-in that may pass is retried like a failed race',
      from: signingIn,
      event: { type: 'sign-in-failed', cause: { kind: 'sign-in-failed', message: 'socket hang up' } },
      to: { state: 'reconnecting', since: now, cause: { kind: 'sign-in-failed', message: 'socket hang up' }, failures: 1, next: { step: 'waiting', retryAt: now + 999 } },
    },
    {
      behaviour: 'a sign-in the server never answered is retried like a lost path',
      from: signingIn,
      event: { type: 'sign-in-failed', cause: { kind: 'sign-in-unanswered' } },
      to: { state: 'reconnecting', since: now, cause: { kind: 'sign-in-unanswered' }, failures: 1, next: { step: 'waiting', retryAt: now + 999 } },
    },
    {
      behaviour: 'a sign-in that failed on a resume the server was just learnt to break races again at once, afresh, counting nothing',
      from: signingIn,
      event: { type: 'sign-in-failed', cause: { kind: 'sign-in-failed', message: 'resume unanswered' }, learnt: true },
      to: connecting,
      race: true,
    },
    {
      behaviour: 'while reconnecting, such a sign-in keeps the failures counted so far and races at once',
      from: retrying(2, 'signing-in'),
      event: { type: 'sign-in-failed', cause: { kind: 'sign-in-failed', message: 'resume unanswered' }, learnt: true },
      to: retrying(2),
      race: true,
    },
  ];
  it.each(cases)('$behaviour', check);
});

describe('the account lifecycle: failures only the user can mend stop retrying', () => {
  /** From `from`, the failure of `cause` shows `failed` with `remedy`, whatever the count of failures before. */
  const stops = (behaviour: string, from: AccountLifecycle, type: 'race-failed' | 'sign-in-failed', cause: AccountCause, remedy: Remedy): Case => ({
    behaviour,
    from,
    event: { type, cause },
    to: { state: 'failed', since: now, cause, remedy },
  });
  const cases: Case[] = [
    stops('a refused password asks the user to fix it', signingIn, 'sign-in-failed', wrongPassword, 'fix-password'),
    stops("the proxy's refusal of the credentials asks for the proxy's user name and password, even after many failures", retrying(7), 'race-failed', proxyRefusedLogin, 'fix-proxy-credentials'),
    stops('a proxy asking for a login with 401 stops the retries too', connecting, 'race-failed', proxyAsked401, 'fix-proxy-credentials'),
    stops('a proxy that wants Negotiate sign-in is a matter for its administrators', retrying(2), 'race-failed', proxyWantsNegotiate, 'ask-proxy-administrator'),
    stops(
      'a certificate that failed verification asks the user to review it',
      connecting,
      'race-failed',
      { kind: 'certificate', path, detail: 'the certificate of chat.lab.test expired' },
      'review-certificate',
    ),
    stops('a disabled account is a matter for the administrator', signingIn, 'sign-in-failed', { kind: 'sign-in-refused', condition: 'account-disabled' }, 'contact-administrator'),
    stops('a sign-in Burrow stopped as unsafe asks to check the settings', signingIn, 'sign-in-failed', { kind: 'sign-in-unsafe', reason: 'no SCRAM proof' }, 'fix-settings'),
    stops('settings that cannot be used ask to fix them', connecting, 'race-failed', { kind: 'settings-invalid', message: 'no such community' }, 'fix-settings'),
    {
      behaviour: 'a temporary refusal of the sign-in is retried',
      from: signingIn,
      event: { type: 'sign-in-failed', cause: { kind: 'sign-in-refused', condition: 'temporary-auth-failure' } },
      to: {
        state: 'reconnecting',
        since: now,
        cause: { kind: 'sign-in-refused', condition: 'temporary-auth-failure' },
        failures: 1,
        next: { step: 'waiting', retryAt: now + 999 },
      },
    },
    { behaviour: 'a failed account waits: no timer brings it back', from: failed(wrongPassword), event: { type: 'retry-timer-fired' }, to: failed(wrongPassword) },
    { behaviour: 'a network change does not bring back a refused password', from: failed(wrongPassword), event: { type: 'network-changed' }, to: failed(wrongPassword) },
    {
      behaviour: "a network change tries again after the proxy's refusal: the proxy may belong to the old network",
      from: failed(proxyRefusedLogin),
      event: { type: 'network-changed' },
      to: { state: 'connecting', since: now, step: 'racing' },
      race: true,
    },
    { behaviour: 'Try again tries at once', from: failed(wrongPassword), event: { type: 'connect' }, to: { state: 'connecting', since: now, step: 'racing' }, race: true },
    {
      behaviour: 'changed settings try at once (the user may have fixed the password)',
      from: failed(wrongPassword),
      event: { type: 'settings-changed' },
      to: { state: 'connecting', since: now, step: 'racing' },
      race: true,
    },
  ];
  it.each(cases)('$behaviour', check);
});

describe('the account lifecycle: the backoff grows across consecutive failures', () => {
  it('waits full jitter below 1 s, 2 s, 4 s … up to 60 s, failure after failure', () => {
    let state: AccountLifecycle = connecting;
    const ceilings: number[] = [];
    for (let failure = 1; failure <= 9; failure++) {
      state = transition(state, { type: 'race-failed', cause: noPath }, at(now)).state;
      if (state.state !== 'reconnecting' || state.next.step !== 'waiting') throw new Error(`not waiting: ${JSON.stringify(state)}`);
      ceilings.push(state.next.retryAt - now + 1);
      state = transition(state, { type: 'retry-timer-fired' }, at(state.next.retryAt)).state;
    }
    expect(ceilings).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
  });

  const cases: Case[] = [
    { behaviour: 'the retry timer starts the next race', from: waiting(3), event: { type: 'retry-timer-fired' }, to: retrying(3), race: true },
    {
      behaviour: 'a reconnecting race that fails counts one more failure and keeps when the trouble began',
      from: retrying(3),
      event: { type: 'race-failed', cause: noPath },
      to: { state: 'reconnecting', since: now - 60_000, cause: noPath, failures: 4, next: { step: 'waiting', retryAt: now + 7999 } },
    },
    { behaviour: 'a won race while reconnecting signs in', from: retrying(3), event: { type: 'race-won' }, to: retrying(3, 'signing-in') },
    {
      behaviour: 'signing in again keeps the failures counted until the connection proves stable',
      from: retrying(3, 'signing-in'),
      event: { type: 'signed-in', path, resumed: true, connectMs: 120 },
      to: { state: 'online', since: now, path, resumed: true, connectMs: 120, failures: 3 },
    },
    { behaviour: 'Retry now races at once and starts the count over', from: waiting(5), event: { type: 'connect' }, to: retrying(0), race: true },
    { behaviour: 'a network change races at once and starts the count over', from: waiting(5), event: { type: 'network-changed' }, to: retrying(0), race: true },
    { behaviour: 'changed settings race at once and start the count over', from: waiting(5), event: { type: 'settings-changed' }, to: retrying(0), race: true },
    {
      behaviour: 'a network change during a race starts a new one: the old one ran on the old network',
      from: retrying(2),
      event: { type: 'network-changed' },
      to: retrying(0),
      race: true,
    },
    { behaviour: 'a network change during a sign-in lets it finish', from: retrying(2, 'signing-in'), event: { type: 'network-changed' }, to: retrying(2, 'signing-in') },
    { behaviour: 'changed settings during a sign-in let it finish', from: signingIn, event: { type: 'settings-changed' }, to: signingIn },
    {
      behaviour: 'changed settings during a first race start it again',
      from: connecting,
      event: { type: 'settings-changed' },
      to: { state: 'connecting', since: now, step: 'racing' },
      race: true,
    },
    { behaviour: 'a stale retry timer changes nothing while a race runs', from: retrying(2), event: { type: 'retry-timer-fired' }, to: retrying(2) },
  ];
  it.each(cases)('$behaviour', check);
});

describe('the account lifecycle: losing a live connection', () => {
  const cases: Case[] = [
    {
      behaviour: 'a connection that stayed up 30 s is recovered at once, with the count started over',
      from: online(30_000, 4),
      event: { type: 'stream-lost' },
      to: { state: 'reconnecting', since: now, cause: lost, failures: 0, next: { step: 'racing' } },
      race: true,
    },
    {
      behaviour: 'a first loss soon after connecting still races at once, but counts as a failure',
      from: online(2000, 0),
      event: { type: 'stream-lost' },
      to: { state: 'reconnecting', since: now, cause: lost, failures: 1, next: { step: 'racing' } },
      race: true,
    },
    {
      behaviour: 'a connection the server acknowledged messages on is recovered at once, however young, with the count started over',
      from: online(2000, 3),
      event: { type: 'stream-lost', proven: true },
      to: { state: 'reconnecting', since: now, cause: lost, failures: 0, next: { step: 'racing' } },
      race: true,
    },
    {
      behaviour: 'a resumed stream the server dropped at once, a resume now known not to work there, races again at once, counting nothing new',
      from: online(500, 2),
      event: { type: 'stream-lost', learnt: true },
      to: { state: 'reconnecting', since: now, cause: lost, failures: 2, next: { step: 'racing' } },
      race: true,
    },
    {
      behaviour: 'a stream Burrow closed because the server sent more than it accepts says so, and counts however long it stayed up',
      from: online(60_000, 1),
      event: { type: 'stream-lost', proven: true, cause: tooLarge },
      to: { state: 'reconnecting', since: now, cause: tooLarge, failures: 2, next: { step: 'waiting', retryAt: now + 1999 } },
    },
    {
      behaviour: 'a stream Burrow closed because the server sent XML that is not well-formed says so, and counts however long it stayed up',
      from: online(60_000, 1),
      event: { type: 'stream-lost', proven: true, cause: malformed },
      to: { state: 'reconnecting', since: now, cause: malformed, failures: 2, next: { step: 'waiting', retryAt: now + 1999 } },
    },
    {
      behaviour: 'a repeated loss soon after connecting waits its backoff',
      from: online(2000, 1),
      event: { type: 'stream-lost' },
      to: { state: 'reconnecting', since: now, cause: lost, failures: 2, next: { step: 'waiting', retryAt: now + 1999 } },
    },
    { behaviour: 'changed settings leave a working connection alone', from: online(5000), event: { type: 'settings-changed' }, to: online(5000) },
    { behaviour: 'a network change leaves the live connection to its keepalive', from: online(5000), event: { type: 'network-changed' }, to: online(5000) },
    { behaviour: 'an outdated race failing does not disturb a live connection', from: online(5000), event: { type: 'race-failed', cause: noPath }, to: online(5000) },
    {
      behaviour: 'a path raced beside a suspect one takes the stream over without leaving online or counting a failure',
      from: online(2000, 1),
      event: { type: 'path-switched', path: wss, resumed: true },
      to: { ...online(2000, 1), path: wss, resumed: true } as AccountLifecycle,
    },
    {
      behaviour: 'a switch that comes after the connection was lost changes nothing',
      from: waiting(2),
      event: { type: 'path-switched', path, resumed: true },
      to: waiting(2),
    },
  ];
  it.each(cases)('$behaviour', check);
});

describe('the account lifecycle: signing out', () => {
  const everyState: AccountLifecycle[] = [offline, notConfigured, connecting, signingIn, online(5000), waiting(2), retrying(2), failed(wrongPassword)];

  it.each(everyState)('goes offline from $state, whatever was under way', (from) => {
    expect(transition(from, { type: 'sign-out' }, at(now))).toEqual({ state: offline, race: false });
  });

  const ignored: LifecycleEvent[] = [
    { type: 'race-won' },
    { type: 'race-failed', cause: noPath },
    { type: 'signed-in', path, resumed: false, connectMs: 1 },
    { type: 'sign-in-failed', cause: wrongPassword },
    { type: 'stream-lost' },
    { type: 'retry-timer-fired' },
    { type: 'network-changed' },
    { type: 'settings-changed' },
    { type: 'not-configured' },
  ];
  it.each(ignored)('stays offline on $type: only the user brings it back', (event) => {
    expect(transition(offline, event, at(now))).toEqual({ state: offline, race: false });
  });
});
