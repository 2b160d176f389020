/**
 * The expected bytes are MS-NLMP's own examples, section 4.2.4 "NTLMv2 Authentication"
 * (https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-nlmp/125f7a94-933e-4023-a146-a449e49bf774):
 * 4.2.4.1.1 NTOWFv2, 4.2.4.1.2 the session base key, 4.2.4.2.1 the LMv2 response and 4.2.4.2.2
 * the NTLMv2 response, with 4.2.1's user "User", domain "Domain", password "Password", server
 * challenge 0123456789abcdef, client challenge aa×8, time 0, and the AV pairs Domain, Server.
 */
import { describe, expect, it } from 'vitest';

import { authenticateMessage, negotiateMessage, ntlmUser, ntlmV2Responses, ntowfV2, parseChallengeMessage } from './ntlm.js';

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ''), 'hex');
const serverChallenge = hex('01 23 45 67 89 ab cd ef');
const clientChallenge = hex('aa aa aa aa aa aa aa aa');
// MsvAvNbDomainName "Domain", MsvAvNbComputerName "Server", MsvAvEOL.
const targetInfo = hex('02 00 0c 00 44 00 6f 00 6d 00 61 00 69 00 6e 00  01 00 0c 00 53 00 65 00 72 00 76 00 65 00 72 00  00 00 00 00');
const responseKey = ntowfV2('Password', { user: 'User', domain: 'Domain' });
const responses = ntlmV2Responses({ responseKey, serverChallenge, clientChallenge, time: Buffer.alloc(8), targetInfo });

/** A CHALLENGE_MESSAGE as a proxy sends it: flags, server challenge, target info. */
function challengeMessage(info: Buffer): Buffer {
  const header = Buffer.alloc(48);
  header.write('NTLMSSP\0', 0, 'latin1');
  header.writeUInt32LE(2, 8);
  header.writeUInt32LE(0xe28a8233, 20);
  serverChallenge.copy(header, 24);
  header.writeUInt16LE(info.length, 40);
  header.writeUInt16LE(info.length, 42);
  header.writeUInt32LE(48, 44);
  return Buffer.concat([header, info]);
}

/** A field of an AUTHENTICATE_MESSAGE, by its place in the header. */
function field(message: Buffer, index: number): Buffer {
  const length = message.readUInt16LE(12 + index * 8);
  const offset = message.readUInt32LE(16 + index * 8);
  return message.subarray(offset, offset + length);
}

describe('NTLMv2 (MS-NLMP 4.2.4)', () => {
  it('derives NTOWFv2 (4.2.4.1.1)', () => {
    expect(responseKey).toEqual(hex('0c 86 8a 40 3b fd 7a 93 a3 00 1e f2 2e f0 2e 3f'));
  });

  it('computes the LMv2 response (4.2.4.2.1)', () => {
    expect(responses.lmChallengeResponse).toEqual(hex('86 c3 50 97 ac 9c ec 10 25 54 76 4a 57 cc cc 19  aa aa aa aa aa aa aa aa'));
  });

  it('computes NTProofStr and the whole NTLMv2 response (4.2.4.2.2)', () => {
    expect(responses.ntProofStr).toEqual(hex('68 cd 0a b8 51 e5 1c 96 aa bc 92 7b eb ef 6a 1c'));
    expect(responses.ntChallengeResponse).toEqual(
      Buffer.concat([responses.ntProofStr, hex('01 01 00 00 00 00 00 00  00 00 00 00 00 00 00 00  aa aa aa aa aa aa aa aa  00 00 00 00'), targetInfo, hex('00 00 00 00')]),
    );
  });

  it('derives the session base key (4.2.4.1.2)', () => {
    expect(responses.sessionBaseKey).toEqual(hex('8d e4 0c ca db c1 4a 82 f1 5c b0 ad 0d e9 5c a3'));
  });

  it('writes an AUTHENTICATE_MESSAGE carrying those responses, the user and the domain', () => {
    const challenge = parseChallengeMessage(challengeMessage(targetInfo));
    expect(challenge?.serverChallenge).toEqual(serverChallenge);
    const message = authenticateMessage(challenge!, 'Domain\\User', 'Password', clientChallenge);
    expect(message.subarray(0, 12)).toEqual(Buffer.from('NTLMSSP\0\x03\0\0\0', 'latin1'));
    expect(field(message, 1).subarray(0, 16)).not.toEqual(responses.ntProofStr); // the time is now, not 0
    expect(field(message, 1).subarray(32, 40)).toEqual(clientChallenge);
    expect(field(message, 2).toString('utf16le')).toBe('Domain');
    expect(field(message, 3).toString('utf16le')).toBe('User');
  });

  it('uses the server’s timestamp when the challenge has one, and then leaves the LMv2 response empty', () => {
    const timestamp = hex('07 00 08 00 00 90 d3 36 b7 34 c3 01');
    const withTime = Buffer.concat([targetInfo.subarray(0, -4), timestamp, hex('00 00 00 00')]);
    const message = authenticateMessage(parseChallengeMessage(challengeMessage(withTime))!, 'User@corp.example', 'Password', clientChallenge);
    expect(field(message, 0)).toEqual(Buffer.alloc(24));
    expect(field(message, 1).subarray(24, 32)).toEqual(timestamp.subarray(4));
    expect(field(message, 2)).toHaveLength(0);
    expect(field(message, 3).toString('utf16le')).toBe('User@corp.example');
  });

  it('refuses a blob that is not a CHALLENGE_MESSAGE', () => {
    expect(parseChallengeMessage(negotiateMessage())).toBeUndefined();
    expect(parseChallengeMessage(Buffer.from('not ntlm at all, not at all'))).toBeUndefined();
  });

  it('reads DOMAIN\\user and user@domain', () => {
    expect(ntlmUser('CORP\\alice')).toEqual({ user: 'alice', domain: 'CORP' });
    expect(ntlmUser('alice@corp.example')).toEqual({ user: 'alice@corp.example', domain: '' });
  });
});
