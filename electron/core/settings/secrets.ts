/**
 * Passwords never go into the settings file. Electron keeps them with safeStorage (main/);
 * browser mode and tests inject a SecretStore such as MemorySecretStore.
 */

export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export class MemorySecretStore implements SecretStore {
  readonly #secrets = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.#secrets.get(key);
  }

  async set(key: string, value: string): Promise<void> {
    this.#secrets.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.#secrets.delete(key);
  }
}
