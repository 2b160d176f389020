/**
 * The lab's NTLM verifier (S15's domain-controller stand-in) against the NTLMv2 test vectors of
 * [MS-NLMP] §4.2 (https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/, "4.2.4
 * NTLMv2 Authentication"; common values in §4.2.1): user "User", domain "Domain", password
 * "Password", server challenge 01 23 … ef, client challenge aa × 8, time 0, server names "Domain" and
 * "Server". The bytes are the specification's as quoted by several implementations' tests (found with
 * the code search: Chromium's net/ntlm/ntlm_test_data.h, and C, C# and Rust NTLM tests quoting
 * §4.2.4.1.1, §4.2.4.2.2 and §4.2.4.3), which agree byte for byte.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  challengeMessage,
  NtlmHelperSession,
  ntHash,
  ntlmFlags,
  ntowfV2,
  ntProofStr,
  parseAuthenticateMessage,
  verifyAuthenticate,
  type NtlmAccount,
} from './ntlm.js';

const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ''), 'hex');

const specAccount: NtlmAccount = { domain: 'Domain', user: 'User', password: 'Password' };
const serverChallenge = hex('01 23 45 67 89 ab cd ef');

/** §4.2.4.2.2's "temp": header, time 0, client challenge aa × 8, and the server's AV pairs (Domain, Server, EOL), padded. */
const temp = hex(`
  01 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 aa aa aa aa aa aa aa aa 00 00 00 00
  02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00 01 00 0c 00 53 00 65 00 72 00 76 00 65 00 72 00
  00 00 00 00 00 00 00 00`);

/** §4.2.4.3: the AUTHENTICATE_MESSAGE of the NTLMv2 example, whole. */
const specAuthenticate = hex(`
  4e 54 4c 4d 53 53 50 00 03 00 00 00 18 00 18 00 6c 00 00 00 54 00 54 00 84 00 00 00 0c 00 0c 00
  48 00 00 00 08 00 08 00 54 00 00 00 10 00 10 00 5c 00 00 00 10 00 10 00 d8 00 00 00 35 82 88 e2
  05 01 28 0a 00 00 00 0f 44 00 6f 00 6d 00 61 00 69 00 6e 00 55 00 73 00 65 00 72 00 43 00 4f 00
  4d 00 50 00 55 00 54 00 45 00 52 00 86 c3 50 97 ac 9c ec 10 25 54 76 4a 57 cc cc 19 aa aa aa aa
  aa aa aa aa 68 cd 0a b8 51 e5 1c 96 aa bc 92 7b eb ef 6a 1c 01 01 00 00 00 00 00 00 00 00 00 00
  00 00 00 00 aa aa aa aa aa aa aa aa 00 00 00 00 02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00
  01 00 0c 00 53 00 65 00 72 00 76 00 65 00 72 00 00 00 00 00 00 00 00 00 c5 da d2 54 4f c9 79 90
  94 ce 1c e9 0b c9 d0 3e`);

describe("MS-NLMP §4.2's NTLMv2 vectors", () => {
  it('NT hash of "Password" (§4.2.2.1.2, NTOWFv1)', () => {
    expect(ntHash('Password').toString('hex')).toBe('a4f49c406510bdcab6824ee7c30fd852');
  });

  it('NTOWFv2("Password", "User", "Domain") (§4.2.4.1.1)', () => {
    expect(ntowfV2('Password', 'User', 'Domain').toString('hex')).toBe('0c868a403bfd7a93a3001ef22ef02e3f');
  });

  it('NTProofStr over the server challenge and temp (§4.2.4.2.2)', () => {
    expect(ntProofStr(ntowfV2('Password', 'User', 'Domain'), serverChallenge, temp).toString('hex')).toBe('68cd0ab851e51c96aabc927bebef6a1c');
  });

  it("reads §4.2.4.3's AUTHENTICATE_MESSAGE and accepts it for User in Domain with Password", () => {
    const message = parseAuthenticateMessage(specAuthenticate);
    expect(message).toMatchObject({ domain: 'Domain', user: 'User', workstation: 'COMPUTER', flags: 0xe2888235 });
    expect(message.lmResponse.toString('hex')).toBe('86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
    expect(message.ntResponse).toEqual(Buffer.concat([hex('68cd0ab851e51c96aabc927bebef6a1c'), temp]));
    expect(verifyAuthenticate(message, serverChallenge, specAccount)).toEqual({ accepted: true, user: 'Domain\\User' });
  });

  it('refuses that message for another password, another challenge or another user', () => {
    const message = parseAuthenticateMessage(specAuthenticate);
    expect(verifyAuthenticate(message, serverChallenge, { ...specAccount, password: 'Passw0rd' })).toMatchObject({ accepted: false, reason: expect.stringMatching(/wrong password/) });
    expect(verifyAuthenticate(message, hex('0123456789abcdee'), specAccount)).toMatchObject({ accepted: false, reason: expect.stringMatching(/wrong password/) });
    expect(verifyAuthenticate(message, serverChallenge, { ...specAccount, user: 'Other' })).toMatchObject({ accepted: false, reason: 'unknown user Domain\\User' });
    expect(verifyAuthenticate(message, serverChallenge, { ...specAccount, domain: 'ELSEWHERE' })).toMatchObject({ accepted: false });
  });
});

const labAccount: NtlmAccount = { domain: 'LAB', user: 'burrow', password: 'right' };
const names = { netbiosDomain: 'LAB', netbiosComputer: 'NTLMPROXY', dnsDomain: 'lab.test', dnsComputer: 'ntlmproxy.lab.test' };

/** The first leg: as curl sends it (OEM, no Unicode: curl's Type-1 flags), or asking for Unicode. */
function negotiate(unicode = false): Buffer {
  const message = Buffer.alloc(32);
  message.write('NTLMSSP\0', 0, 'latin1');
  message.writeUInt32LE(1, 8);
  const flags = ntlmFlags.oem | ntlmFlags.requestTarget | ntlmFlags.ntlm | ntlmFlags.alwaysSign | ntlmFlags.extendedSessionSecurity;
  message.writeUInt32LE((unicode ? flags | ntlmFlags.unicode : flags) >>> 0, 12);
  return message;
}
const curlNegotiate = negotiate();

/** A client's third leg, written here from MS-NLMP 3.3.2 as a client would: NTLMv2 over the challenge's target info. */
function clientAuthenticate(challenge: Buffer, user: string, domain: string, password: string): Buffer {
  const flags = challenge.readUInt32LE(20);
  const unicode = (flags & ntlmFlags.unicode) !== 0;
  const infoLength = challenge.readUInt16LE(40);
  const infoOffset = challenge.readUInt32LE(44);
  const info = challenge.subarray(infoOffset, infoOffset + infoLength);
  const blob = Buffer.concat([hex('0101 0000 0000 0000'), Buffer.alloc(8, 7), Buffer.alloc(8, 0xcc), Buffer.alloc(4), info, Buffer.alloc(4)]);
  const key = createHmac('md5', ntHash(password)).update(Buffer.from(user.toUpperCase() + domain, 'utf16le')).digest();
  const proof = createHmac('md5', key).update(challenge.subarray(24, 32)).update(blob).digest();
  const encode = (text: string) => Buffer.from(text, unicode ? 'utf16le' : 'latin1');
  const fields = [Buffer.alloc(24), Buffer.concat([proof, blob]), encode(domain), encode(user), encode('WORKSTATION'), Buffer.alloc(0)];
  const header = Buffer.alloc(64);
  header.write('NTLMSSP\0', 0, 'latin1');
  header.writeUInt32LE(3, 8);
  let offset = header.length;
  fields.forEach((field, index) => {
    header.writeUInt16LE(field.length, 12 + index * 8);
    header.writeUInt16LE(field.length, 14 + index * 8);
    header.writeUInt32LE(offset, 16 + index * 8);
    offset += field.length;
  });
  header.writeUInt32LE(flags, 60);
  return Buffer.concat([header, ...fields]);
}

describe('the challenge the lab issues', () => {
  it('answers an OEM client in OEM, a Unicode client in Unicode, with its names and a timestamp as target info', () => {
    const oem = challengeMessage(ntlmFlags.oem, serverChallenge, names, new Date(0));
    expect(oem.readUInt32LE(20) & (ntlmFlags.unicode | ntlmFlags.oem | ntlmFlags.targetInfo)).toBe(ntlmFlags.oem | ntlmFlags.targetInfo);
    expect(oem.subarray(oem.readUInt32LE(16), oem.readUInt32LE(16) + oem.readUInt16LE(12)).toString('latin1')).toBe('LAB');
    expect(oem.subarray(24, 32)).toEqual(serverChallenge);
    const unicode = challengeMessage(ntlmFlags.unicode, serverChallenge, names);
    expect(unicode.readUInt32LE(20) & ntlmFlags.unicode).toBe(ntlmFlags.unicode);
    const info = unicode.subarray(unicode.readUInt32LE(44), unicode.readUInt32LE(44) + unicode.readUInt16LE(40));
    expect(info.toString('utf16le')).toContain('ntlmproxy.lab.test');
    // MsvAvTimestamp (7), 8 bytes, then MsvAvEOL.
    expect(info.subarray(-16, -12)).toEqual(hex('0700 0800'));
    expect(info.subarray(-4)).toEqual(hex('0000 0000'));
  });
});

describe("the Squid helper's handshake", () => {
  const session = () => new NtlmHelperSession(labAccount, names, () => hex('1122334455667788'));
  const challengeOf = (reply: string): Buffer => {
    expect(reply).toMatch(/^TT [A-Za-z0-9+/=]+$/);
    return Buffer.from(reply.slice(3), 'base64');
  };

  for (const unicode of [false, true]) {
    it(`YR → TT, KK with the right password → AF "LAB\\\\burrow" (${unicode ? 'Unicode' : 'OEM, as curl'})`, () => {
      const helper = session();
      const challenge = challengeOf(helper.answer(`YR ${negotiate(unicode).toString('base64')}`).reply);
      expect(challenge.subarray(24, 32)).toEqual(hex('1122334455667788'));
      const answer = helper.answer(`KK ${clientAuthenticate(challenge, 'burrow', 'LAB', 'right').toString('base64')}`);
      expect(answer).toEqual({ reply: 'AF "LAB\\\\burrow"', login: { accepted: true, user: 'LAB\\burrow' } });
    });
  }

  it('KK with a wrong password → NA naming the reason, logged as refused', () => {
    const helper = session();
    const challenge = challengeOf(helper.answer(`YR ${curlNegotiate.toString('base64')}`).reply);
    const answer = helper.answer(`KK ${clientAuthenticate(challenge, 'burrow', 'LAB', 'wrong').toString('base64')}`);
    expect(answer.reply).toBe('NA wrong password (NTLMv2 proof does not match)');
    expect(answer.login).toEqual({ accepted: false, user: 'LAB\\burrow', reason: 'wrong password (NTLMv2 proof does not match)' });
  });

  it('accepts the user without a domain, and in any case, as a domain controller does', () => {
    for (const [user, domain] of [['burrow', ''], ['BURROW', 'lab']] as const) {
      const helper = session();
      const challenge = challengeOf(helper.answer(`YR ${negotiate(true).toString('base64')}`).reply);
      expect(helper.answer(`KK ${clientAuthenticate(challenge, user, domain, 'right').toString('base64')}`).login?.accepted).toBe(true);
    }
  });

  it('refuses an NTLMv1 answer, and answers BH to a KK without a challenge or a request it does not know', () => {
    const helper = session();
    const challenge = challengeOf(helper.answer(`YR ${curlNegotiate.toString('base64')}`).reply);
    const v1 = clientAuthenticate(challenge, 'burrow', 'LAB', 'right');
    // Shrink the NT response to NTLMv1's 24 bytes.
    v1.writeUInt16LE(24, 20);
    v1.writeUInt16LE(24, 22);
    expect(helper.answer(`KK ${v1.toString('base64')}`).reply).toBe('NA NTLMv1 answer refused: this domain accepts NTLMv2 only');
    expect(helper.answer(`KK ${v1.toString('base64')}`).reply).toMatch(/^BH no challenge/);
    expect(session().answer('YR bm90IG50bG0=').reply).toMatch(/^BH /);
    expect(session().answer('XX').reply).toMatch(/^BH unknown request/);
  });

  it('a second handshake on the same helper gets a fresh challenge', () => {
    let n = 0;
    const helper = new NtlmHelperSession(labAccount, names, () => Buffer.alloc(8, ++n));
    const first = challengeOf(helper.answer(`YR ${curlNegotiate.toString('base64')}`).reply);
    const second = challengeOf(helper.answer(`YR ${curlNegotiate.toString('base64')}`).reply);
    expect(first.subarray(24, 32)).not.toEqual(second.subarray(24, 32));
    // The answer to the first challenge no longer counts.
    expect(helper.answer(`KK ${clientAuthenticate(first, 'burrow', 'LAB', 'right').toString('base64')}`).login?.accepted).toBe(false);
  });
});
