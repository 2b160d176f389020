import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/**
 * SCRAM-SHA-1 (RFC 5802) on Node's crypto, for the saslmechanisms factory that @xmpp/sasl uses.
 * The pure-JavaScript mechanism spends most of a second of CPU per sign-in on PBKDF2.
 */
export class ScramSha1 {
  readonly name = 'SCRAM-SHA-1';
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
    const saltedPassword = pbkdf2Sync(password, salt, iterations, 20, 'sha1');
    const clientKey = createHmac('sha1', saltedPassword).update('Client Key').digest();
    const storedKey = createHash('sha1').update(clientKey).digest();
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${this.#clientFirstBare},${this.#serverFirst},${withoutProof}`;
    const signature = createHmac('sha1', storedKey).update(authMessage).digest();
    const proof = Buffer.from(clientKey.map((byte, index) => byte ^ (signature[index] ?? 0)));
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  challenge(serverFirst: string): this {
    this.#serverFirst = serverFirst;
    return this;
  }
}

/** RFC 5802 §5.1: "," and "=" in a user name are escaped. */
function saslName(name: string): string {
  return name.replaceAll('=', '=3D').replaceAll(',', '=2C');
}
