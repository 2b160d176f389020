// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="./xmpp.d.ts" />
/**
 * iq requests and their answers (RFC 6120 §8.2.3). A request fails at once when its connection
 * goes, instead of waiting out its timeout. (@xmpp/iq offers its caller only by an inner path.)
 */
import { randomUUID } from 'node:crypto';

import type Connection from '@xmpp/connection';
import type { Middleware } from '@xmpp/middleware';

import { ConnectionGoneError } from './errors.js';
import type { Element } from './xml.js';

const NS_STANZA_ERRORS = 'urn:ietf:params:xml:ns:xmpp-stanzas';

/** The server, or the entity asked, answered with an error: its condition (e.g. `service-unavailable`). */
export class StanzaError extends Error {
  override name = 'StanzaError';
  constructor(
    readonly condition: string,
    readonly stanza: Element,
  ) {
    super(condition);
  }

  static from(stanza: Element): StanzaError {
    const condition = stanza.getChild('error')?.getChildElements().find((child) => child.attrs.xmlns === NS_STANZA_ERRORS)?.name;
    return new StanzaError(condition ?? 'undefined-condition', stanza);
  }
}

interface Pending {
  resolve(answer: Element): void;
  reject(error: unknown): void;
}

export class IqCaller {
  readonly #pending = new Map<string, Pending>();

  constructor(
    private readonly entity: Connection,
    middleware: Middleware,
  ) {
    middleware.use(({ stanza }, next) => {
      const { type, id = '' } = stanza.attrs;
      const pending = stanza.is('iq') && (type === 'result' || type === 'error') ? this.#pending.get(id) : undefined;
      if (!pending) return next();
      this.#pending.delete(id);
      if (type === 'error') pending.reject(StanzaError.from(stanza));
      else pending.resolve(stanza);
      return undefined;
    });
    entity.on('disconnect', () => {
      for (const pending of this.#pending.values()) pending.reject(new ConnectionGoneError());
      this.#pending.clear();
    });
  }

  /** Sends `iq` (given an id if it has none) and resolves with the answer; an error answer rejects. */
  async request(iq: Element, timeoutMs = 30_000): Promise<Element> {
    const id = (iq.attrs.id ??= randomUUID());
    let timer: NodeJS.Timeout | undefined;
    const answer = new Promise<Element>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`no answer to the ${iq.getChildElements()[0]?.name ?? 'iq'} request within ${timeoutMs} ms`));
      }, timeoutMs);
    });
    // Settled while the request is still being written, it is awaited right after.
    answer.catch(() => {});
    try {
      await this.entity.send(iq);
      return await answer;
    } catch (error) {
      this.#pending.delete(id);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}
