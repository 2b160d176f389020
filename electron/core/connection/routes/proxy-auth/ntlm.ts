// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- js-md4 ships no types; every tsconfig reaching this file needs ours
/// <reference path="./md4.d.ts" />
/**
 * NTLMv2 (MS-NLMP), written on node:crypto and js-md4: Node's OpenSSL 3 has no MD4, and the NTLM
 * packages on npm either speak only through their own HTTP client (a CONNECT tunnel needs the raw
 * socket) or do NTLMv1, which proxies configured for NTLMv2 only refuse. No signing or sealing: a
 * proxy only wants the AUTHENTICATE message, so no session key is exchanged and no MIC is sent.
 */
import { createHmac, randomBytes } from 'node:crypto';

import md4 from 'js-md4';

export interface NtlmUser {
  user: string;
  /** Empty for "user@domain" (a UPN), which the domain controller resolves itself. */
  domain: string;
}

/** "DOMAIN\user", or "user@domain" / "user" as given. */
export function ntlmUser(username: string): NtlmUser {
  const slash = username.indexOf('\\');
  return slash === -1 ? { user: username, domain: '' } : { user: username.slice(slash + 1), domain: username.slice(0, slash) };
}

const signature = Buffer.from('NTLMSSP\0', 'latin1');
const flags = {
  unicode: 0x1,
  oem: 0x2,
  requestTarget: 0x4,
  ntlm: 0x200,
  alwaysSign: 0x8000,
  extendedSessionSecurity: 0x80000,
  bits128: 0x20000000,
  bits56: 0x80000000,
};
const negotiateFlags =
  flags.unicode | flags.oem | flags.requestTarget | flags.ntlm | flags.alwaysSign | flags.extendedSessionSecurity | flags.bits128 | flags.bits56;
const msvAvTimestamp = 7;

/** The first leg: what Burrow can do, no names. */
export function negotiateMessage(): Buffer {
  const message = Buffer.alloc(32);
  signature.copy(message, 0);
  message.writeUInt32LE(1, 8);
  message.writeUInt32LE(negotiateFlags >>> 0, 12);
  return message;
}

export interface NtlmChallenge {
  flags: number;
  serverChallenge: Buffer;
  targetInfo: Buffer;
}

/** The proxy's CHALLENGE_MESSAGE; undefined when it is not one. */
export function parseChallengeMessage(message: Buffer): NtlmChallenge | undefined {
  if (message.length < 32 || !message.subarray(0, 8).equals(signature) || message.readUInt32LE(8) !== 2) return undefined;
  const challengeFlags = message.readUInt32LE(20);
  const serverChallenge = message.subarray(24, 32);
  if (message.length < 48) return { flags: challengeFlags, serverChallenge, targetInfo: Buffer.alloc(0) };
  const length = message.readUInt16LE(40);
  const offset = message.readUInt32LE(44);
  if (offset + length > message.length) return undefined;
  return { flags: challengeFlags, serverChallenge, targetInfo: message.subarray(offset, offset + length) };
}

/** NTOWFv2: HMAC-MD5 of the NT hash over the upper-cased user and the domain as given. */
export function ntowfV2(password: string, { user, domain }: NtlmUser): Buffer {
  const ntHash = Buffer.from(md4.arrayBuffer(utf16(password)));
  return hmacMd5(ntHash, utf16(user.toUpperCase() + domain));
}

export interface NtlmV2Input {
  responseKey: Buffer;
  serverChallenge: Buffer;
  clientChallenge: Buffer;
  /** FILETIME, little-endian: 100 ns since 1601. */
  time: Buffer;
  targetInfo: Buffer;
}

export interface NtlmV2Responses {
  ntChallengeResponse: Buffer;
  lmChallengeResponse: Buffer;
  ntProofStr: Buffer;
  sessionBaseKey: Buffer;
}

export function ntlmV2Responses({ responseKey, serverChallenge, clientChallenge, time, targetInfo }: NtlmV2Input): NtlmV2Responses {
  const temp = Buffer.concat([Buffer.from([1, 1]), Buffer.alloc(6), time, clientChallenge, Buffer.alloc(4), targetInfo, Buffer.alloc(4)]);
  const ntProofStr = hmacMd5(responseKey, Buffer.concat([serverChallenge, temp]));
  return {
    ntChallengeResponse: Buffer.concat([ntProofStr, temp]),
    lmChallengeResponse: Buffer.concat([hmacMd5(responseKey, Buffer.concat([serverChallenge, clientChallenge])), clientChallenge]),
    ntProofStr,
    sessionBaseKey: hmacMd5(responseKey, ntProofStr),
  };
}

/** The third leg, answering `challenge` on the connection that carried it. */
export function authenticateMessage(challenge: NtlmChallenge, username: string, password: string, clientChallenge = randomBytes(8)): Buffer {
  const who = ntlmUser(username);
  const serverTime = avPair(challenge.targetInfo, msvAvTimestamp);
  const responses = ntlmV2Responses({
    responseKey: ntowfV2(password, who),
    serverChallenge: challenge.serverChallenge,
    clientChallenge,
    time: serverTime ?? fileTimeNow(),
    targetInfo: challenge.targetInfo,
  });
  // MS-NLMP 3.1.5.1.2: with the server's timestamp the LMv2 response is left empty (zeros).
  const lm = serverTime ? Buffer.alloc(24) : responses.lmChallengeResponse;
  const fields = [lm, responses.ntChallengeResponse, utf16(who.domain), utf16(who.user), Buffer.alloc(0), Buffer.alloc(0)];
  const header = Buffer.alloc(64);
  signature.copy(header, 0);
  header.writeUInt32LE(3, 8);
  let offset = header.length;
  fields.forEach((field, index) => {
    header.writeUInt16LE(field.length, 12 + index * 8);
    header.writeUInt16LE(field.length, 14 + index * 8);
    header.writeUInt32LE(offset, 16 + index * 8);
    offset += field.length;
  });
  header.writeUInt32LE((challenge.flags & negotiateFlags) >>> 0, 60);
  return Buffer.concat([header, ...fields]);
}

function avPair(targetInfo: Buffer, id: number): Buffer | undefined {
  for (let at = 0; at + 4 <= targetInfo.length; ) {
    const pairId = targetInfo.readUInt16LE(at);
    const length = targetInfo.readUInt16LE(at + 2);
    if (pairId === 0) return undefined;
    if (pairId === id) return targetInfo.subarray(at + 4, at + 4 + length);
    at += 4 + length;
  }
  return undefined;
}

function fileTimeNow(): Buffer {
  const time = Buffer.alloc(8);
  time.writeBigUInt64LE((BigInt(Date.now()) + 11_644_473_600_000n) * 10_000n);
  return time;
}

function utf16(text: string): Buffer {
  return Buffer.from(text, 'utf16le');
}

function hmacMd5(key: Buffer, data: Buffer): Buffer {
  return createHmac('md5', key).update(data).digest();
}
