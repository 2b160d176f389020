import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

import { UnsafeSignInError } from './errors.js';

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

  response({ username, password }: { username: string; password: string }): string {
    if (this.#clientFirstBare === '') {
      this.#clientFirstBare = `n=${saslName(username)},r=${this.#clientNonce}`;
      return `n,,${this.#clientFirstBare}`;
    }
    const fields = new Map(this.#serverFirst.split(',').map((field) => [field.slice(0, 1), field.slice(2)]));
    const nonce = fields.get('r') ?? '';
    const salt = Buffer.from(fields.get('s') ?? '', 'base64');
    const iterations = Number(fields.get('i'));
    if (!nonce.startsWith(this.#clientNonce) || salt.length === 0 || !(iterations > 0)) {
      throw new Error('the server sent a malformed SCRAM challenge');
    }
    const hmac = (key: Buffer, text: string) => createHmac(this.hash, key).update(text).digest();
    const saltedPassword = pbkdf2Sync(password, salt, iterations, createHash(this.hash).digest().length, this.hash);
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

/** RFC 5802 §5.1: "," and "=" in a user name are escaped. */
function saslName(name: string): string {
  return name.replaceAll('=', '=3D').replaceAll(',', '=2C');
}
