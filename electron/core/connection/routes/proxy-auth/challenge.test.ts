import { describe, expect, it } from 'vitest';

import { parseChallenges } from './challenge.js';

describe('parseChallenges', () => {
  it('reads several challenges from several headers, in order', () => {
    expect(parseChallenges(['Negotiate, NTLM', 'Basic realm="Corp proxy"'])).toEqual([
      { scheme: 'negotiate', params: {} },
      { scheme: 'ntlm', params: {} },
      { scheme: 'basic', params: { realm: 'Corp proxy' } },
    ]);
  });

  it('keeps commas and escaped quotes inside quoted values, and tells parameters from the next challenge', () => {
    const [digest, basic] = parseChallenges([
      'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", Basic realm="say \\"hi\\", friend"',
    ]);
    expect(digest).toEqual({
      scheme: 'digest',
      params: { realm: 'http-auth@example.org', qop: 'auth, auth-int', algorithm: 'SHA-256', nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v' },
    });
    expect(basic).toEqual({ scheme: 'basic', params: { realm: 'say "hi", friend' } });
  });

  it('reads the base64 blob after NTLM or Negotiate, padding included', () => {
    expect(parseChallenges(['NTLM TlRMTVNTUAACAAAAAAAAAA==', 'Negotiate oYIBBjCCAQKgAwoBAQ=='])).toEqual([
      { scheme: 'ntlm', params: {}, token68: 'TlRMTVNTUAACAAAAAAAAAA==' },
      { scheme: 'negotiate', params: {}, token68: 'oYIBBjCCAQKgAwoBAQ==' },
    ]);
  });

  it('lower-cases schemes and parameter names, and survives an empty or garbled header', () => {
    expect(parseChallenges(['BASIC Realm=lab', '', ',,', '@@ Basic'])).toEqual([
      { scheme: 'basic', params: { realm: 'lab' } },
      { scheme: 'basic', params: {} },
    ]);
  });
});
