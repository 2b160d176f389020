import { describe, expect, it } from 'vitest';

import { causeWords } from '../../contract/account-words.js';
import { attemptPath, type Candidate } from '../connection/candidate.js';
import type { Cause } from '../connection/causes.js';
import { MalformedXmlError, TooLargeError, UnsafeSignInError } from '../connection/errors.js';
import type { AttemptRecord } from '../connection/race.js';
import { raceFailureCause, signInFailureCause } from './failure-cause.js';
import { remedyFor } from './lifecycle.js';

const saslError = (condition: string) => Object.assign(new Error(condition), { name: 'SASLError', condition });

const squid = { kind: 'proxy', proxy: { type: 'http', host: 'proxy.lab.test', port: 3128, resolveThroughProxy: true } } as const;
const diagnosis = { host: 'chat.lab.test', tried: 2, elapsedMs: 40 };

function failedAttempt(route: Candidate['route'], cause: Cause, reachedServer = false): AttemptRecord {
  const candidate: Candidate = { endpoint: { transport: 'websocket', host: 'chat.lab.test', port: 443, path: '/ws', secure: true, source: 'default' }, route };
  return {
    attempt: 1,
    candidate,
    path: 'WebSocket wss://chat.lab.test:443/ws via HTTP proxy proxy.lab.test:3128',
    excluded: false,
    outcome: 'failed',
    cause,
    ...(reachedServer ? { negotiatingAtMs: 5 } : {}),
  };
}

const proxyRefusedLogin: Extract<Cause, { kind: 'proxy-authentication' }> = { kind: 'proxy-authentication', proxy: 'proxy.lab.test:3128', status: 407, detail: 'Proxy Authentication Required' };
const refused: Cause = { kind: 'refused', target: 'chat.lab.test:5223' };

describe('what a failed race says', () => {
  it("is the proxy's refusal of the credentials when no path got past it to the server", () => {
    const attempts = [failedAttempt(squid, proxyRefusedLogin), failedAttempt({ kind: 'direct' }, refused)];
    expect(raceFailureCause(attempts, diagnosis)).toEqual({ kind: 'proxy-authentication', proxies: ['HTTP proxy proxy.lab.test:3128'] });
  });

  it("is the proxy's refusal too when the proxy turned a tunnelled HTTP request down (407) in its XMPP stage", () => {
    expect(raceFailureCause([failedAttempt(squid, proxyRefusedLogin, true)], diagnosis)).toEqual({
      kind: 'proxy-authentication',
      proxies: ['HTTP proxy proxy.lab.test:3128'],
    });
  });

  it('carries what the HTTP proxy offered and what was tried, and leaves out the probes, which go without the credentials', () => {
    const login = { status: 407 as const, offered: ['ntlm'], tried: 'ntlm' as const, credentials: 'configured' as const };
    const probe = { ...failedAttempt(squid, { ...proxyRefusedLogin, proxyLogin: { ...login, credentials: 'withheld' } }), excluded: true };
    const attempts = [probe, failedAttempt(squid, { ...proxyRefusedLogin, proxyLogin: login })];
    expect(raceFailureCause(attempts, diagnosis)).toEqual({ kind: 'proxy-authentication', proxies: ['HTTP proxy proxy.lab.test:3128'], login });
    expect(raceFailureCause([probe, failedAttempt({ kind: 'direct' }, refused)], diagnosis)).toEqual({ kind: 'no-path', diagnosis });
  });

  it('is no path at all when another path reached the server: the proxy is then not the whole story', () => {
    const tlsFailed: Cause = { kind: 'tls', target: 'chat.lab.test:5223', problem: 'handshake', serverName: 'chat.lab.test', detail: 'sslv3 alert handshake failure' };
    const attempts = [failedAttempt(squid, proxyRefusedLogin), failedAttempt({ kind: 'direct' }, tlsFailed, true)];
    expect(raceFailureCause(attempts, diagnosis)).toEqual({ kind: 'no-path', diagnosis });
  });

  it('is the certificate, with its details, whenever one failed verification', () => {
    const names = ['evil.test'];
    const [notBefore, notAfter] = ['2025-01-01T00:00:00.000Z', '2030-01-01T00:00:00.000Z'];
    const certificate = { expectedName: 'chat.lab.test', subject: 'CN=evil.test', issuer: 'CN=Evil CA', names, notBefore, notAfter, fingerprint256: 'AA:BB', problems: ['name-mismatch' as const] };
    const attempts = [failedAttempt({ kind: 'direct' }, { kind: 'certificate', expectedName: 'chat.lab.test', certificate })];
    expect(raceFailureCause(attempts, diagnosis)).toEqual({
      kind: 'certificate',
      path: attemptPath(attempts[0]!.candidate),
      detail: 'the certificate of chat.lab.test is for evil.test (issued by CN=Evil CA, SHA-256 fingerprint AA:BB)',
      certificate,
    });
  });

  it("is the race's diagnosis when paths were merely refused or silent", () => {
    expect(raceFailureCause([failedAttempt({ kind: 'direct' }, refused)], diagnosis)).toEqual({ kind: 'no-path', diagnosis });
  });
});

describe('what a failed sign-in says', () => {
  it("is the server's SASL condition when it refused", () => {
    expect(signInFailureCause(saslError('not-authorized'))).toEqual({ kind: 'sign-in-refused', condition: 'not-authorized' });
  });

  it('is unsafe when Burrow stopped it, with the reason', () => {
    expect(signInFailureCause(new UnsafeSignInError('the server could not prove it knows the account'))).toEqual({
      kind: 'sign-in-unsafe',
      reason: 'the server could not prove it knows the account',
    });
  });

  it('is what the server sent over Burrow\'s limits, when Burrow closed the stream for it', () => {
    expect(signInFailureCause(new TooLargeError('stanza', 262_144))).toEqual({ kind: 'too-large', what: 'stanza', limitBytes: 262_144 });
  });

  it('is what was wrong with XML the server sent that is not well-formed, when Burrow closed the stream for it', () => {
    expect(signInFailureCause(new MalformedXmlError('an end tag closes no element'))).toEqual({ kind: 'malformed-xml', detail: 'an end tag closes no element' });
  });

  it('is a sign-in the server never answered when a step timed out, said in words and worth another try', () => {
    const cause = signInFailureCause(Object.assign(new Error(), { name: 'TimeoutError' }));
    expect(cause).toEqual({ kind: 'sign-in-unanswered' });
    expect(causeWords(cause)).toBe('The server did not answer the sign-in in time.');
    expect(remedyFor(cause)).toBeNull();
  });

  it('is a failure that may pass for anything else', () => {
    expect(signInFailureCause(new Error('socket hang up'))).toEqual({ kind: 'sign-in-failed', message: 'socket hang up' });
  });
});
