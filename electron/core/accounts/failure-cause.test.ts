import { describe, expect, it } from 'vitest';

import { attemptPath, type Candidate } from '../connection/candidate.js';
import type { Cause } from '../connection/causes.js';
import type { AttemptRecord } from '../connection/race.js';
import { raceFailureCause } from './failure-cause.js';

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
