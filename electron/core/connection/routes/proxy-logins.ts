/**
 * At most one failed proxy login per race: corporate proxies lock the user's account after a few.
 * The first tunnel (or plain HTTP request) through a proxy with credentials goes alone; the others through that proxy wait
 * for its answer — through once the login was accepted, refused with the same refusal if it was
 * not. A first tunnel that fails for another reason (a refused port) says nothing of the login, so
 * the next one goes alone in its turn.
 */
import type { ProxySettings } from '../candidate.js';
import { ProxyError } from '../errors.js';
import type { LoginMemory } from './proxy-auth/login.js';

/** Which login a tunnel or request tries: the proxy and the user name. */
export function proxyLogin({ type, username, host, port }: Pick<ProxySettings, 'type' | 'username' | 'host' | 'port'>): string {
  return `${type}://${username ?? ''}@${host}:${port}`;
}

export class ProxyLogins {
  /** Per proxy and user: 'accepted', or the first tunnel's login still under way (rejecting with its refusal). */
  readonly #logins = new Map<string, 'accepted' | Promise<void>>();
  readonly #memories = new Map<string, LoginMemory>();

  /** What the race has learnt of this login's scheme, so that later tunnels answer at once. */
  memory(proxy: string): LoginMemory {
    const memory = this.#memories.get(proxy) ?? {};
    this.#memories.set(proxy, memory);
    return memory;
  }

  async through<T>(proxy: string, open: () => Promise<T>): Promise<T> {
    for (;;) {
      const login = this.#logins.get(proxy);
      if (login === 'accepted') return open();
      if (login) {
        await login;
        continue;
      }
      let settle: (refusal?: unknown) => void = () => {};
      const turn = new Promise<void>((resolve, reject) => (settle = (refusal) => (refusal ? reject(refusal) : resolve())));
      turn.catch(() => {});
      this.#logins.set(proxy, turn);
      try {
        const opened = await open();
        this.#logins.set(proxy, 'accepted');
        settle();
        return opened;
      } catch (error) {
        if (error instanceof ProxyError && error.kind === 'authentication') settle(error);
        else {
          this.#logins.delete(proxy);
          settle();
        }
        throw error;
      }
    }
  }
}
