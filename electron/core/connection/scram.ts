import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/**
 * SCRAM (RFC 5802; SHA-256 per RFC 7677) on Node's crypto, for the saslmechanisms factory that
 * @xmpp/sasl uses. The pure-JavaScript SCRAM-SHA-1 spends most of a second of CPU per sign-in on
 * PBKDF2, and xmpp.js has no SCRAM-SHA-256.
 */
abstract class Scram {
  abstract readonly name: string;
  protected abstract readonly hash: 'sha1' | 'sha256';
  readonly clientFirst = true;
  readonly #clientNonce: string;
  #clientFirstBare = '';
  #serverFirst = '';

  constructor(clientNonce: string = randomBytes(18).toString('base64')) {
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
    const signature = hmac(storedKey, `${this.#clientFirstBare},${this.#serverFirst},${withoutProof}`);
    const proof = Buffer.from(clientKey.map((byte, index) => byte ^ (signature[index] ?? 0)));
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  challenge(serverFirst: string): this {
    this.#serverFirst = serverFirst;
    return this;
  }
}

export class ScramSha1 extends Scram {
  readonly name = 'SCRAM-SHA-1';
  protected readonly hash = 'sha1';
}

export class ScramSha256 extends Scram {
  readonly name = 'SCRAM-SHA-256';
  protected readonly hash = 'sha256';
}

/** RFC 5802 §5.1: "," and "=" in a user name are escaped. */
function saslName(name: string): string {
  return name.replaceAll('=', '=3D').replaceAll(',', '=2C');
}
