/**
 * A server's side of SCRAM-SHA-256 (RFC 5802, RFC 7677) with the iteration count a test chooses:
 * it challenges, then proves it knows the password. It does not check the client's proof.
 */
import { createHmac, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

export class ScramServerSide {
  readonly #salt = randomBytes(16);
  #clientFirstBare = '';
  #serverFirst = '';

  constructor(
    private readonly password: string,
    private readonly iterations: number,
  ) {}

  /** The server-first message, given the client-first one. */
  challenge(clientFirst: string): string {
    this.#clientFirstBare = clientFirst.replace(/^n,,/, '');
    const clientNonce = /(?:^|,)r=([^,]*)/.exec(this.#clientFirstBare)?.[1] ?? '';
    this.#serverFirst = `r=${clientNonce}scripted,s=${this.#salt.toString('base64')},i=${this.iterations}`;
    return this.#serverFirst;
  }

  /** The server-final message (its signature), given the client-final one. Off the event loop, like the client's. */
  async final(clientFinal: string): Promise<string> {
    const saltedPassword = await pbkdf2Async(this.password, this.#salt, this.iterations, 32, 'sha256');
    const authMessage = `${this.#clientFirstBare},${this.#serverFirst},${clientFinal.replace(/,p=[^,]*$/, '')}`;
    return `v=${hmac(hmac(saltedPassword, 'Server Key'), authMessage).toString('base64')}`;
  }
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}
