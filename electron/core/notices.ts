import { randomUUID } from 'node:crypto';
import type { Notice } from '../contract/contract.js';
import type { EventHub } from './events.js';

/** Things the user must be told about (a recovered settings file, an invalid policy…). */
export class NoticeBoard {
  readonly #notices = new Map<string, Notice>();

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

  list(): Notice[] {
    return [...this.#notices.values()];
  }

  dismiss(id: string): void {
    this.#notices.delete(id);
  }
}
