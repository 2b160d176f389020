/**
 * Passwords never go into the settings file. Electron keeps them with safeStorage (main/);
 * browser mode and tests inject a SecretStore such as MemorySecretStore.
 */

export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The names of every secret Burrow keeps. */
export const secretKeys = {
  communityPassword: (communityId: string) => `community:${communityId}:password`,
  communityProxyPassword: (communityId: string) => `community:${communityId}:proxy:password`,
  globalProxyPassword: 'proxy:global:password',
} as const;

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
