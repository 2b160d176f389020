/**
 * At most one failed proxy login per race: corporate proxies lock the user's account after a few.
 * The first tunnel through a proxy with credentials goes alone; the others through that proxy wait
 * for its answer — through once the login was accepted, refused with the same refusal if it was
 * not. A first tunnel that fails for another reason (a refused port) says nothing of the login, so
 * the next one goes alone in its turn.
 */
import { ProxyError } from '../errors.js';

export class ProxyLogins {
  /** Per proxy and user: 'accepted', or the first tunnel's login still under way (rejecting with its refusal). */
  readonly #logins = new Map<string, 'accepted' | Promise<void>>();

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
