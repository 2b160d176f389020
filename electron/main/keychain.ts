import { safeStorage } from 'electron';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SecretStore } from '../core/settings/secrets.js';

/**
 * Passwords encrypted with the OS keychain (safeStorage) and kept apart from the settings
 * file. Where there is no keychain — none at all, or Linux without a secret service, where
 * safeStorage's `basic_text` backend encrypts with a key built into Chromium — passwords are kept
 * for this session only, never written.
 */
export class KeychainSecretStore implements SecretStore {
  readonly #file: string;
  readonly #forThisSession = new Map<string, string>();

  constructor(dataDir: string) {
    this.#file = path.join(dataDir, 'secrets.json');
  }

  /** Whether passwords last only until Burrow quits (no keychain to keep them). */
  get sessionOnly(): boolean {
    return !safeStorage.isEncryptionAvailable() || (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text');
  }

  async get(key: string): Promise<string | undefined> {
    if (this.sessionOnly) return this.#forThisSession.get(key);
    const encrypted = (await this.#read())[key];
    return encrypted === undefined ? undefined : safeStorage.decryptString(Buffer.from(encrypted, 'base64'));
  }

  async set(key: string, value: string): Promise<void> {
    if (this.sessionOnly) {
      this.#forThisSession.set(key, value);
      // An older copy on disk must not outlive the new password.
      return this.#deleteFromFile(key);
    }
    const secrets = await this.#read();
    secrets[key] = safeStorage.encryptString(value).toString('base64');
    await this.#write(secrets);
  }

  async delete(key: string): Promise<void> {
    this.#forThisSession.delete(key);
    await this.#deleteFromFile(key);
  }

  async #deleteFromFile(key: string): Promise<void> {
    const secrets = await this.#read();
    if (!(key in secrets)) return;
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
