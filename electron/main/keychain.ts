import { safeStorage } from 'electron';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SecretStore } from '../core/settings/secrets.js';

/**
 * Passwords encrypted with the OS keychain (safeStorage) and kept apart from the settings
 * file. Where no keychain is available, saving a password fails with a clear error rather
 * than writing it in the clear.
 */
export class KeychainSecretStore implements SecretStore {
  readonly #file: string;

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, 'secrets.json');
  }

  async get(key: string): Promise<string | undefined> {
    const encrypted = (await this.#read())[key];
    return encrypted === undefined ? undefined : safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
  }

  async set(key: string, value: string): Promise<void> {
    if (!safeStorage.isEncryptionAvailable()) {
      throw new Error('No OS keychain is available, so Burrow cannot save passwords safely on this system.');
    }
    const secrets = await this.#read();
    secrets[key] = safeStorage.encryptString(value).toString('base64');
    await this.#write(secrets);
  }

  async delete(key: string): Promise<void> {
    const secrets = await this.#read();
    delete secrets[key];
    await this.#write(secrets);
  }

  async #read(): Promise<Record<string, string>> {
    try {
      return JSON.parse(await readFile(this.#file, 'utf8')) as Record<string, string>;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  async #write(secrets: Record<string, string>): Promise<void> {
    await mkdir(path.dirname(this.#file), { recursive: true });
    const temporary = `${this.#file}.tmp`;
    await writeFile(temporary, JSON.stringify(secrets), { mode: 0o600 });
    await rename(temporary, this.#file);
  }
}
