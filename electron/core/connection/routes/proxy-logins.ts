/**
 * At most one failed proxy login per race: corporate proxies lock the user's account after a few.
 * The first tunnel through a proxy with credentials goes alone; the others through that proxy wait
 * for its answer — through once the login was accepted, refused with the same refusal if it was
 * not. A first tunnel that fails for another reason (a refused port) says nothing of the login, so
 * the next one goes alone in its turn.
 */
import type { ProxySettings } from '../candidate.js';
import { ProxyError } from '../errors.js';

/** Which login a tunnel tries: the proxy and the user name. */
export function proxyLogin({ type, username, host, port }: ProxySettings): string {
  return `${type}://${username ?? ''}@${host}:${port}`;
}

export class ProxyLogins {
  /** Per proxy and user: 'accepted', or the first tunnel's login still under way (rejecting with its refusal). */
  readonly #logins = new Map<string, 'accepted' | Promise<void>>();

  /**
   * For a request that cannot wait on a tunnel (plain HTTP through the proxy): once a tunnel's
   * login is known, or at once when none is under way; refused with the login's refusal.
   */
  async known(proxy: string): Promise<void> {
    for (let login = this.#logins.get(proxy); login && login !== 'accepted'; login = this.#logins.get(proxy)) await login;
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
