import { randomUUID } from 'node:crypto';
import type { Notice } from '../contract/contract.js';
import type { EventHub } from './events.js';

/** Things the user must be told about (a recovered settings file, an invalid policy…). */
export class NoticeBoard {
  readonly #notices = new Map<string, Notice>();

  constructor(private readonly events: EventHub) {}

  post(level: Notice['level'], message: string): Notice {
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
