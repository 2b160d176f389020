import { describe, expect, it } from 'vitest';

import { ScramSha1 } from './scram-sha-1.js';

describe('ScramSha1', () => {
  it('produces the exchange of RFC 5802 §5', () => {
    const scram = new ScramSha1('fyko+d2lbbFgONRv9qkxdawL');
    const credentials = { username: 'user', password: 'pencil' };
    expect(scram.response(credentials)).toBe('n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL');
    scram.challenge('r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096');
    expect(scram.response(credentials)).toBe(
      'c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=',
    );
  });

  it('escapes "," and "=" in the user name', () => {
    expect(new ScramSha1('nonce').response({ username: 'a,b=c', password: '' })).toBe('n,,n=a=2Cb=3Dc,r=nonce');
  });

  it('refuses a challenge that does not extend its nonce', () => {
    const scram = new ScramSha1('mine');
    scram.response({ username: 'user', password: 'pencil' });
    scram.challenge('r=theirs,s=QSXCR+Q6sek8bf92,i=4096');
    expect(() => scram.response({ username: 'user', password: 'pencil' })).toThrow('malformed SCRAM challenge');
  });

  it('makes a fresh nonce for every sign-in', () => {
    const first = new ScramSha1().response({ username: 'user', password: 'pencil' });
    const second = new ScramSha1().response({ username: 'user', password: 'pencil' });
    expect(first).not.toBe(second);
  });
});
