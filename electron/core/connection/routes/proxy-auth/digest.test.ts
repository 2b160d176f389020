import { describe, expect, it } from 'vitest';

import { parseChallenges } from './challenge.js';
import { digestAuthorization, digestChallenge } from './digest.js';

// RFC 7616 §3.9.1 (password "Circle of Life" with a small "of", as erratum 4495 confirms).
const nonce = '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v';
const opaque = 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS';
const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
const rfcChallenge = (algorithm: string) =>
  `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, nonce="${nonce}", opaque="${opaque}"`;
const rfcRequest = { method: 'GET', uri: '/dir/index.html', nonceCount: 1, cnonce };

function answer(header: string, request = rfcRequest) {
  const [challenge] = parseChallenges([header]);
  const digest = challenge && digestChallenge(challenge);
  if (!digest) throw new Error('no digest challenge');
  return digestAuthorization(digest, 'Mufasa', 'Circle of Life', request);
}

describe('Digest', () => {
  it('answers RFC 7616’s SHA-256 example', () => {
    expect(answer(rfcChallenge('SHA-256'))).toBe(
      `Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, nonce="${nonce}", ` +
        `nc=00000001, cnonce="${cnonce}", qop=auth, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="${opaque}"`,
    );
  });

  it('answers RFC 7616’s MD5 example', () => {
    expect(answer(rfcChallenge('MD5'))).toContain('response="8ca523f5e9506fed4657c9700eebdbec"');
  });

  it('answers -sess and counts the nonce’s uses', () => {
    const first = answer(rfcChallenge('SHA-256-sess'));
    const second = answer(rfcChallenge('SHA-256-sess'), { ...rfcRequest, nonceCount: 2 });
    expect(first).toContain('nc=00000001');
    expect(second).toContain('nc=00000002');
    expect(first).not.toContain('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it('answers an RFC 2069 challenge (no qop) for a CONNECT', () => {
    const header = answer(`Digest realm="lab", nonce="abc"`, { method: 'CONNECT', uri: 'chat.lab.test:443', nonceCount: 1, cnonce });
    expect(header).toContain('uri="chat.lab.test:443", algorithm=MD5, nonce="abc", response="');
    expect(header).not.toContain('qop=');
  });

  it('declines what it cannot answer: an unknown algorithm, auth-int alone', () => {
    const [unknown, intOnly] = parseChallenges([`Digest realm="a", nonce="n", algorithm=SHA-1024`, `Digest realm="a", nonce="n", qop="auth-int"`]);
    expect(unknown && digestChallenge(unknown)).toBeUndefined();
    expect(intOnly && digestChallenge(intOnly)).toBeUndefined();
  });

  it('sees a stale nonce', () => {
    const [challenge] = parseChallenges([`Digest realm="a", nonce="n", stale=TRUE`]);
    expect(challenge && digestChallenge(challenge)?.stale).toBe(true);
  });
});
