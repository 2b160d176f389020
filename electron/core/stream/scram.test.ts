import { describe, expect, it } from 'vitest';

import { ScramSha1, ScramSha256 } from './scram.js';

const credentials = { username: 'user', password: 'pencil' };

describe('SCRAM', () => {
  it('SCRAM-SHA-1 produces the exchange of RFC 5802 §5', () => {
    const scram = new ScramSha1('fyko+d2lbbFgONRv9qkxdawL');
    expect(scram.response(credentials)).toBe('n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL');
    scram.challenge('r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096');
    expect(scram.response(credentials)).toBe('c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=');
    expect(() => scram.verifyServerFinal('v=rmF9pqV8S7suAoZWja4dJRkFsKQ=')).not.toThrow();
  });

  it('SCRAM-SHA-256 produces the exchange of RFC 7677 §3', () => {
    const scram = new ScramSha256('rOprNGfwEbeRWgbNEkqO');
    expect(scram.response(credentials)).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    scram.challenge('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    expect(scram.response(credentials)).toBe(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    );
    expect(() => scram.verifyServerFinal('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')).not.toThrow();
  });

  it('fails the sign-in when the server cannot prove it knows the account: a wrong, missing or premature signature', () => {
    const scram = new ScramSha256('rOprNGfwEbeRWgbNEkqO');
    const wrongSignature = 'v=' + Buffer.alloc(32, 7).toString('base64');
    expect(() => scram.verifyServerFinal('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')).toThrow('could not prove it knows the account');
    scram.response(credentials);
    scram.challenge('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    scram.response(credentials);
    expect(() => scram.verifyServerFinal(wrongSignature)).toThrow('could not prove it knows the account');
    expect(() => scram.verifyServerFinal('')).toThrow('could not prove it knows the account');
    expect(() => scram.verifyServerFinal('v=rmF9pqV8S7suAoZWja4dJRkFsKQ=')).toThrow('could not prove it knows the account');
  });

  it('escapes "," and "=" in the user name', () => {
    expect(new ScramSha1('nonce').response({ username: 'a,b=c', password: '' })).toBe('n,,n=a=2Cb=3Dc,r=nonce');
  });

  it('refuses a challenge that does not extend its nonce', () => {
    const scram = new ScramSha256('mine');
    scram.response(credentials);
    scram.challenge('r=theirs,s=QSXCR+Q6sek8bf92,i=4096');
    expect(() => scram.response(credentials)).toThrow('malformed SCRAM challenge');
  });

  it('makes a fresh nonce for every sign-in', () => {
    expect(new ScramSha1().response(credentials)).not.toBe(new ScramSha1().response(credentials));
  });
});
