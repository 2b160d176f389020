import { describe, expect, it } from 'vitest';

import { UnsafeSignInError } from './errors.js';
import { ScramSha1, ScramSha256 } from './scram.js';

const credentials = { username: 'user', password: 'pencil' };

describe('SCRAM', () => {
  it('SCRAM-SHA-1 produces the exchange of RFC 5802 §5', async () => {
    const scram = new ScramSha1('fyko+d2lbbFgONRv9qkxdawL');
    expect(await scram.response(credentials)).toBe('n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL');
    scram.challenge('r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096');
    expect(await scram.response(credentials)).toBe('c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=');
    expect(() => scram.verifyServerFinal('v=rmF9pqV8S7suAoZWja4dJRkFsKQ=')).not.toThrow();
  });

  it('SCRAM-SHA-256 produces the exchange of RFC 7677 §3', async () => {
    const scram = new ScramSha256('rOprNGfwEbeRWgbNEkqO');
    expect(await scram.response(credentials)).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    scram.challenge('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    expect(await scram.response(credentials)).toBe(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    );
    expect(() => scram.verifyServerFinal('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')).not.toThrow();
  });

  it('fails the sign-in when the server cannot prove it knows the account: a wrong, missing or premature signature', async () => {
    const scram = new ScramSha256('rOprNGfwEbeRWgbNEkqO');
    const wrongSignature = 'v=' + Buffer.alloc(32, 7).toString('base64');
    expect(() => scram.verifyServerFinal('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')).toThrow('could not prove it knows the account');
    await scram.response(credentials);
    scram.challenge('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    await scram.response(credentials);
    expect(() => scram.verifyServerFinal(wrongSignature)).toThrow('could not prove it knows the account');
    expect(() => scram.verifyServerFinal('')).toThrow('could not prove it knows the account');
    expect(() => scram.verifyServerFinal('v=rmF9pqV8S7suAoZWja4dJRkFsKQ=')).toThrow('could not prove it knows the account');
  });

  it('escapes "," and "=" in the user name', async () => {
    expect(await new ScramSha1('nonce').response({ username: 'a,b=c', password: '' })).toBe('n,,n=a=2Cb=3Dc,r=nonce');
  });

  it('refuses a challenge that does not extend its nonce', async () => {
    const scram = new ScramSha256('mine');
    await scram.response(credentials);
    scram.challenge('r=theirs,s=QSXCR+Q6sek8bf92,i=4096');
    await expect(scram.response(credentials)).rejects.toThrow('malformed SCRAM challenge');
  });

  it('refuses a server asking for fewer than 4096 iterations (RFC 7677), or more than 1,000,000, and says which', async () => {
    const askingFor = async (iterations: number) => {
      const scram = new ScramSha256('mine');
      await scram.response(credentials);
      scram.challenge(`r=mine-theirs,s=QSXCR+Q6sek8bf92,i=${iterations}`);
      return scram.response(credentials);
    };
    await expect(askingFor(4095)).rejects.toThrow(new UnsafeSignInError('the server asked for 4,095 SCRAM iterations, fewer than the 4,096 RFC 7677 requires: the password\'s proof would be cheap to crack'));
    await expect(askingFor(20_000_000)).rejects.toThrow(/asked for 20,000,000 SCRAM iterations, more than the 1,000,000 Burrow computes/);
    await expect(askingFor(1e21)).rejects.toThrow('malformed SCRAM challenge');
    await expect(askingFor(4096)).resolves.toMatch(/^c=biws,r=mine-theirs,p=/);
    await expect(askingFor(1_000_000)).resolves.toMatch(/^c=biws,r=mine-theirs,p=/);
  });

  it('makes a fresh nonce for every sign-in', async () => {
    expect(await new ScramSha1().response(credentials)).not.toBe(await new ScramSha1().response(credentials));
  });
});
