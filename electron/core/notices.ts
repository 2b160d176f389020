import { randomUUID } from 'node:crypto';
import type { Notice } from '../contract/contract.js';
import type { EventHub } from './events.js';

/** Tells a notice kept up to date under `key` (see NoticeBoard.standing). */
export type StandingNotice = (key: string, level: Notice['level'], message: string) => void;

/** Things the user must be told about (a recovered settings file, an invalid policy…). */
export class NoticeBoard {
  readonly #notices = new Map<string, Notice>();
  /** The id of each standing notice, by its key. */
  readonly #standing = new Map<string, string>();

  constructor(private readonly events: EventHub) {}

  /** A fault met again (a store retried, say) is not told twice: the notice already up stands. */
  post(level: Notice['level'], message: string): Notice {
    const standing = [...this.#notices.values()].find((notice) => notice.level === level && notice.message === message);
    if (standing) return standing;
    const notice: Notice = { id: randomUUID(), level, message };
    this.#notices.set(notice.id, notice);
    this.events.emit('app:notice', notice);
    return notice;
  }

  /**
   * A notice kept up to date under `key` (a count that grows): told again with its new text, in
   * its place, while it stands; once dismissed, a new one.
   */
  standing(key: string, level: Notice['level'], message: string): Notice {
    const id = this.#standing.get(key);
    const notice: Notice = { id: id !== undefined && this.#notices.has(id) ? id : randomUUID(), level, message };
    this.#standing.set(key, notice.id);
    this.#notices.set(notice.id, notice);
    this.events.emit('app:notice', notice);
    return notice;
  }

  list(): Notice[] {
    return [...this.#notices.values()];
  }

  dismiss(id: string): void {
    this.#notices.delete(id);
  }
}
