import { describe, expect, it } from 'vitest';

import { parseChallenges } from './challenge.js';
import { ProxyLogin } from './login.js';
import type { LoginMemory, LoginStep } from './login.js';

const alice = { username: 'alice', password: 's3cret' };
const connect = { method: 'CONNECT', uri: 'chat.lab.test:443' };
const digest = (extra = '') => parseChallenges([`Digest realm="corp", nonce="n1", qop="auth"${extra}`]);
const answerOf = (step: LoginStep) => ('answer' in step ? step.answer.value : step.refused);

describe('ProxyLogin', () => {
  it('sends nothing first while the scheme is unknown, then the strongest scheme offered', () => {
    const login = new ProxyLogin(alice, {}, connect);
    expect(login.first()).toBeUndefined();
    expect(answerOf(login.next(407, parseChallenges(['Basic realm="corp"', 'Negotiate', 'NTLM'])))).toMatch(/^NTLM TlRMTVNTUAAB/);
  });

  it('answers a stale Digest nonce again, once, but a plain refusal of its answer is final', () => {
    const login = new ProxyLogin(alice, {}, connect);
    login.next(407, digest());
    expect(answerOf(login.next(407, digest(', stale=true')))).toMatch(/^Digest /);
    expect(login.next(407, digest(', stale=true'))).toEqual({ refused: { status: 407, offered: ['digest'], tried: 'digest', credentials: 'configured' } });
  });

  it('answers a remembered Digest nonce with a growing count, and a fresh challenge once if the proxy forgot it', () => {
    const memory: LoginMemory = {};
    const first = new ProxyLogin(alice, memory, connect);
    first.next(407, digest());
    first.accepted();
    const second = new ProxyLogin(alice, memory, connect);
    expect(second.first()?.value).toContain('nc=00000002');
    expect(answerOf(second.next(407, digest()))).toContain('nc=00000001');
    expect(second.next(407, digest())).toMatchObject({ refused: { tried: 'digest' } });
  });

  it('starts with NTLM’s first leg when the proxy is known to want NTLM', () => {
    const memory: LoginMemory = { known: { scheme: 'ntlm', header: 'Proxy-Authorization' } };
    expect(new ProxyLogin(alice, memory, connect).first()?.value).toMatch(/^NTLM TlRMTVNTUAAB/);
  });

  it('takes a remembered Basic login refused as refused: the same credentials are not tried again', () => {
    const memory: LoginMemory = { known: { scheme: 'basic', header: 'Proxy-Authorization' } };
    const login = new ProxyLogin(alice, memory, connect);
    expect(login.first()?.value).toMatch(/^Basic /);
    expect(login.next(407, parseChallenges(['Basic realm="corp"']))).toMatchObject({ refused: { tried: 'basic' } });
  });

  it('sends nothing at all without credentials, or with them withheld', () => {
    for (const credentials of ['not-configured', 'withheld'] as const) {
      const login = new ProxyLogin(credentials, { known: { scheme: 'basic', header: 'Proxy-Authorization' } }, connect);
      expect(login.first()).toBeUndefined();
      expect(login.next(407, parseChallenges(['Basic realm="corp"']))).toEqual({ refused: { status: 407, offered: ['basic'], credentials } });
    }
  });
});
