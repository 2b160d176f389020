import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

import { UnsafeSignInError } from './errors.js';

/** RFC 7677 §4: a server's iteration count SHOULD be at least 4096; fewer makes the proof Burrow sends cheap to crack. */
export const MIN_SCRAM_ITERATIONS = 4096;
/**
 * The most work Burrow lets a server ask for: 1,000,000 iterations cost about 0.2 s (SHA-256) to
 * 0.4 s (SHA-1) of one core here, and cover what servers ship (4,096–10,000) and OWASP's 600,000
 * for PBKDF2-SHA-256 with room to spare. One hostile server asked for 20,000,000 (8.5 s).
 */
export const MAX_SCRAM_ITERATIONS = 1_000_000;

const pbkdf2Async = promisify(pbkdf2);

/**
 * SCRAM (RFC 5802; SHA-256 per RFC 7677) on Node's crypto, for the saslmechanisms factory that
 * @xmpp/sasl uses. The pure-JavaScript SCRAM-SHA-1 spends most of a second of CPU per sign-in on
 * PBKDF2, and xmpp.js has no SCRAM-SHA-256.
 */
export class Scram {
  readonly clientFirst = true;
  readonly #clientNonce: string;
  #clientFirstBare = '';
  #serverFirst = '';
  #serverSignature: Buffer | undefined;

  constructor(
    readonly name: string,
    private readonly hash: 'sha1' | 'sha256',
    clientNonce: string = randomBytes(18).toString('base64'),
  ) {
    this.#clientNonce = clientNonce;
  }

  async response({ username, password }: { username: string; password: string }): Promise<string> {
    if (this.#clientFirstBare === '') {
      this.#clientFirstBare = `n=${saslName(username)},r=${this.#clientNonce}`;
      return `n,,${this.#clientFirstBare}`;
    }
    const fields = new Map(this.#serverFirst.split(',').map((field) => [field.slice(0, 1), field.slice(2)]));
    const nonce = fields.get('r') ?? '';
    const salt = Buffer.from(fields.get('s') ?? '', 'base64');
    const iterations = Number(fields.get('i'));
    if (!nonce.startsWith(this.#clientNonce) || salt.length === 0 || !Number.isSafeInteger(iterations) || iterations <= 0) {
      throw new Error('the server sent a malformed SCRAM challenge');
    }
    checkIterations(iterations);
    const hmac = (key: Buffer, text: string) => createHmac(this.hash, key).update(text).digest();
    // On libuv's thread pool: in Electron the core is the main process, and the app must not freeze.
    const saltedPassword = await pbkdf2Async(password, salt, iterations, createHash(this.hash).digest().length, this.hash);
    const clientKey = hmac(saltedPassword, 'Client Key');
    const storedKey = createHash(this.hash).update(clientKey).digest();
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${this.#clientFirstBare},${this.#serverFirst},${withoutProof}`;
    const signature = hmac(storedKey, authMessage);
    const proof = Buffer.from(clientKey.map((byte, index) => byte ^ (signature[index] ?? 0)));
    this.#serverSignature = hmac(hmac(saltedPassword, 'Server Key'), authMessage);
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  /**
   * RFC 5802 §5.1: the server proves it knows the password's keys too. A server that cannot (a
   * wrong or missing v=) fails the sign-in, even though it said "success".
   */
  verifyServerFinal(serverFinal: string): void {
    const fields = new Map(serverFinal.split(',').map((field) => [field.slice(0, 1), field.slice(2)]));
    const claimed = Buffer.from(fields.get('v') ?? '', 'base64');
    const expected = this.#serverSignature;
    if (!expected || claimed.length !== expected.length || !timingSafeEqual(claimed, expected)) {
      throw new UnsafeSignInError('the server accepted the sign-in but could not prove it knows the account (its SCRAM signature is wrong); it may not be the real server');
    }
  }

  challenge(serverFirst: string): this {
    this.#serverFirst = serverFirst;
    return this;
  }
}

export class ScramSha1 extends Scram {
  constructor(clientNonce?: string) {
    super('SCRAM-SHA-1', 'sha1', clientNonce);
  }
}

export class ScramSha256 extends Scram {
  constructor(clientNonce?: string) {
    super('SCRAM-SHA-256', 'sha256', clientNonce);
  }
}

function checkIterations(iterations: number): void {
  if (iterations < MIN_SCRAM_ITERATIONS) {
    throw new UnsafeSignInError(
      `the server asked for ${count(iterations)} SCRAM iterations, fewer than the ${count(MIN_SCRAM_ITERATIONS)} RFC 7677 requires: the password's proof would be cheap to crack`,
    );
  }
  if (iterations > MAX_SCRAM_ITERATIONS) {
    throw new UnsafeSignInError(
      `the server asked for ${count(iterations)} SCRAM iterations, more than the ${count(MAX_SCRAM_ITERATIONS)} Burrow computes: no real server needs that many, and a hostile one would tie up the sign-in`,
    );
  }
}

const count = (n: number) => n.toLocaleString('en-US');

/** RFC 5802 §5.1: "," and "=" in a user name are escaped. */
function saslName(name: string): string {
  return name.replaceAll('=', '=3D').replaceAll(',', '=2C');
}
