/**
 * The lab's stand-in for a Windows domain controller behind an NTLM proxy (S15): it issues NTLM
 * challenges and checks NTLMv2 answers (MS-NLMP) against the lab's one domain account, as a DC's
 * NETLOGON check does for a proxy. Written from the specification, not from Burrow's client, so
 * that the lab stays an independent judge. NTLMv1 answers are refused, as a domain that allows
 * NTLMv2 only (LmCompatibilityLevel 5) refuses them. The MIC is not checked: a proxy login carries
 * no session to protect, and Burrow's client sends none.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';

/** js-md4 ships no types; the one function used here. Node's OpenSSL 3 has no MD4. */
const md4 = createRequire(import.meta.url)('js-md4') as { arrayBuffer(message: Uint8Array): ArrayBuffer };

export interface NtlmAccount {
  /** The NetBIOS domain name, e.g. "LAB". */
  domain: string;
  user: string;
  password: string;
}

/** Who the challenge says is asking: the domain and the proxy's own names (MS-NLMP 2.2.2.1 AV pairs). */
export interface NtlmServerNames {
  netbiosDomain: string;
  netbiosComputer: string;
  dnsDomain: string;
  dnsComputer: string;
}

const signature = Buffer.from('NTLMSSP\0', 'latin1');

export const ntlmFlags = {
  unicode: 0x1,
  oem: 0x2,
  requestTarget: 0x4,
  ntlm: 0x200,
  alwaysSign: 0x8000,
  targetTypeDomain: 0x10000,
  extendedSessionSecurity: 0x80000,
  targetInfo: 0x800000,
  bits128: 0x20000000,
  bits56: 0x80000000,
} as const;

/** MS-NLMP 2.2.2.1 AvId values. */
const av = { eol: 0, nbComputerName: 1, nbDomainName: 2, dnsComputerName: 3, dnsDomainName: 4, timestamp: 7 } as const;

/** Flags the server echoes when the client asks for them. */
const echoedFlags = ntlmFlags.alwaysSign | ntlmFlags.extendedSessionSecurity | ntlmFlags.bits128 | ntlmFlags.bits56;

function messageType(message: Buffer): number | undefined {
  if (message.length < 12 || !message.subarray(0, 8).equals(signature)) return undefined;
  return message.readUInt32LE(8);
}

/** The NEGOTIATE_MESSAGE's flags; undefined when `message` is not one. */
function parseNegotiateMessage(message: Buffer): { flags: number } | undefined {
  if (messageType(message) !== 1 || message.length < 16) return undefined;
  return { flags: message.readUInt32LE(12) };
}

function avPair(id: number, value: Buffer): Buffer {
  const header = Buffer.alloc(4);
  header.writeUInt16LE(id, 0);
  header.writeUInt16LE(value.length, 2);
  return Buffer.concat([header, value]);
}

/** FILETIME, little-endian: 100 ns ticks since 1601-01-01. */
function fileTime(at: Date): Buffer {
  const time = Buffer.alloc(8);
  time.writeBigUInt64LE((BigInt(at.getTime()) + 11_644_473_600_000n) * 10_000n);
  return time;
}

const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le');

/** The server's target information: its names, the domain's, and the time (MS-NLMP 2.2.1.2). */
export function targetInfo(names: NtlmServerNames, at: Date): Buffer {
  return Buffer.concat([
    avPair(av.nbDomainName, utf16(names.netbiosDomain)),
    avPair(av.nbComputerName, utf16(names.netbiosComputer)),
    avPair(av.dnsDomainName, utf16(names.dnsDomain)),
    avPair(av.dnsComputerName, utf16(names.dnsComputer)),
    avPair(av.timestamp, fileTime(at)),
    avPair(av.eol, Buffer.alloc(0)),
  ]);
}

/**
 * A CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2) answering a client's NEGOTIATE flags: Unicode when the
 * client speaks it (OEM otherwise, as curl's first message asks), the domain as target, and the
 * target information that makes a client answer with NTLMv2.
 */
export function challengeMessage(clientFlags: number, serverChallenge: Buffer, names: NtlmServerNames, at: Date = new Date()): Buffer {
  const unicode = (clientFlags & ntlmFlags.unicode) !== 0;
  const flags =
    (unicode ? ntlmFlags.unicode : ntlmFlags.oem) |
    ntlmFlags.requestTarget |
    ntlmFlags.ntlm |
    ntlmFlags.targetTypeDomain |
    ntlmFlags.targetInfo |
    (clientFlags & echoedFlags);
  const targetName = unicode ? utf16(names.netbiosDomain) : Buffer.from(names.netbiosDomain, 'latin1');
  const info = targetInfo(names, at);
  const header = Buffer.alloc(48);
  signature.copy(header, 0);
  header.writeUInt32LE(2, 8);
  header.writeUInt16LE(targetName.length, 12);
  header.writeUInt16LE(targetName.length, 14);
  header.writeUInt32LE(header.length, 16);
  header.writeUInt32LE(flags >>> 0, 20);
  serverChallenge.copy(header, 24);
  header.writeUInt16LE(info.length, 40);
  header.writeUInt16LE(info.length, 42);
  header.writeUInt32LE(header.length + targetName.length, 44);
  return Buffer.concat([header, targetName, info]);
}

export interface AuthenticateMessage {
  flags: number;
  domain: string;
  user: string;
  workstation: string;
  lmResponse: Buffer;
  ntResponse: Buffer;
}

/** The AUTHENTICATE_MESSAGE's fields (MS-NLMP 2.2.1.3); throws when `message` is not a well-formed one. */
export function parseAuthenticateMessage(message: Buffer): AuthenticateMessage {
  if (messageType(message) !== 3) throw new Error('not an NTLM AUTHENTICATE_MESSAGE');
  if (message.length < 64) throw new Error(`AUTHENTICATE_MESSAGE of ${message.length} bytes is too short`);
  const field = (at: number): Buffer => {
    const length = message.readUInt16LE(at);
    const offset = message.readUInt32LE(at + 4);
    if (offset + length > message.length) throw new Error(`AUTHENTICATE_MESSAGE field at ${at} runs past its end`);
    return message.subarray(offset, offset + length);
  };
  const flags = message.readUInt32LE(60);
  const text = (bytes: Buffer): string => bytes.toString(flags & ntlmFlags.unicode ? 'utf16le' : 'latin1');
  return {
    flags,
    lmResponse: field(12),
    ntResponse: field(20),
    domain: text(field(28)),
    user: text(field(36)),
    workstation: text(field(44)),
  };
}

const hmacMd5 = (key: Buffer, ...data: Buffer[]): Buffer => {
  const hmac = createHmac('md5', key);
  for (const part of data) hmac.update(part);
  return hmac.digest();
};

/** MD4 of the password in UTF-16LE: the NT hash (MS-NLMP 3.3.1). */
export const ntHash = (password: string): Buffer => Buffer.from(md4.arrayBuffer(utf16(password)));

/** NTOWFv2 (MS-NLMP 3.3.2): HMAC-MD5 of the NT hash over the upper-cased user and the domain, as the client gave them. */
export const ntowfV2 = (password: string, user: string, domain: string): Buffer => hmacMd5(ntHash(password), utf16(user.toUpperCase() + domain));

/** NTProofStr (MS-NLMP 3.3.2): HMAC-MD5 under NTOWFv2 of the server challenge and the client's blob ("temp"). */
export const ntProofStr = (responseKey: Buffer, serverChallenge: Buffer, blob: Buffer): Buffer => hmacMd5(responseKey, serverChallenge, blob);

export type Verdict = { accepted: true; user: string } | { accepted: false; user: string; reason: string };

const sameText = (a: string, b: string): boolean => a.toUpperCase() === b.toUpperCase();

/** "DOMAIN\user" as the client named itself, for logs and for Squid. */
const qualifiedUser = (message: Pick<AuthenticateMessage, 'domain' | 'user'>): string =>
  message.domain ? `${message.domain}\\${message.user}` : message.user;

/**
 * Checks an AUTHENTICATE_MESSAGE against the challenge this server issued: the account's user in
 * the account's domain (or no domain, as a DC takes its own), and an NTLMv2 proof made with its
 * password over exactly this challenge.
 */
export function verifyAuthenticate(message: AuthenticateMessage, serverChallenge: Buffer, account: NtlmAccount): Verdict {
  const user = qualifiedUser(message);
  const refuse = (reason: string): Verdict => ({ accepted: false, user, reason });
  if (!message.user) return refuse('anonymous login refused');
  if (!sameText(message.user, account.user) || (message.domain !== '' && !sameText(message.domain, account.domain))) {
    return refuse(`unknown user ${user}`);
  }
  if (message.ntResponse.length <= 24) return refuse('NTLMv1 answer refused: this domain accepts NTLMv2 only');
  const proof = message.ntResponse.subarray(0, 16);
  const expected = ntProofStr(ntowfV2(account.password, message.user, message.domain), serverChallenge, message.ntResponse.subarray(16));
  if (!timingSafeEqual(proof, expected)) return refuse('wrong password (NTLMv2 proof does not match)');
  return { accepted: true, user };
}

/** One answer to Squid and, for a finished login, what to log. */
export interface HelperAnswer {
  reply: string;
  login?: Verdict;
}

/**
 * Squid's stateful NTLM helper protocol, one handshake at a time (Squid reserves a stateful helper
 * for a handshake): "YR <negotiate>" → "TT <challenge>"; "KK <authenticate>" → "AF <user>" or
 * "NA <reason>"; anything it cannot make sense of → "BH <reason>".
 */
export class NtlmHelperSession {
  #serverChallenge: Buffer | undefined;

  constructor(
    private readonly account: NtlmAccount,
    private readonly names: NtlmServerNames,
    private readonly newChallenge: () => Buffer = () => randomBytes(8),
  ) {}

  answer(line: string): HelperAnswer {
    const [request = '', blob = ''] = line.trim().split(/\s+/, 2);
    const message = Buffer.from(blob, 'base64');
    if (request === 'YR') {
      const negotiate = parseNegotiateMessage(message);
      if (!negotiate) return { reply: 'BH expected an NTLM NEGOTIATE_MESSAGE' };
      this.#serverChallenge = this.newChallenge();
      return { reply: `TT ${challengeMessage(negotiate.flags, this.#serverChallenge, this.names).toString('base64')}` };
    }
    if (request !== 'KK') return { reply: `BH unknown request ${JSON.stringify(request)}` };
    const serverChallenge = this.#serverChallenge;
    this.#serverChallenge = undefined;
    if (!serverChallenge) return { reply: 'BH no challenge was issued on this handshake' };
    let authenticate: AuthenticateMessage;
    try {
      authenticate = parseAuthenticateMessage(message);
    } catch (error) {
      const login: Verdict = { accepted: false, user: '', reason: (error as Error).message };
      return { reply: `NA ${login.reason}`, login };
    }
    const login = verifyAuthenticate(authenticate, serverChallenge, this.account);
    // Quoted, backslash escaped: Squid's word parser reads it the same in every version.
    const reply = login.accepted ? `AF "${login.user.replaceAll('\\', '\\\\')}"` : `NA ${login.reason}`;
    return { reply, login };
  }
}
