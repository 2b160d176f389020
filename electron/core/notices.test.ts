import { describe, expect, it } from 'vitest';

import type { Notice } from '../contract/contract.js';
import { EventHub } from './events.js';
import { NoticeBoard } from './notices.js';

describe('the notice board', () => {
  it('tells a fault met again once, until the user dismisses it', () => {
    const board = new NoticeBoard(new EventHub());
    const first = board.post('error', 'Burrow cannot read its outbox.');
    expect(board.post('error', 'Burrow cannot read its outbox.')).toBe(first);
    expect(board.list()).toEqual([first]);

    board.dismiss(first.id);
    expect(board.post('error', 'Burrow cannot read its outbox.').id).not.toBe(first.id);
  });

  it('keeps a standing notice up to date in its place, and starts a new one once it is dismissed', () => {
    const events = new EventHub();
    const told: Notice[] = [];
    events.on('app:notice', (notice) => told.push(notice));
    const board = new NoticeBoard(events);
    const other = board.post('info', 'Something else.');

    const first = board.standing('let-go lab', 'warning', 'Lab: let go of 1 contact request.');
    const updated = board.standing('let-go lab', 'warning', 'Lab: let go of 2 contact requests.');

    expect(updated.id).toBe(first.id);
    expect(board.list()).toEqual([other, updated]);
    expect(told.map(({ message }) => message)).toEqual(['Something else.', 'Lab: let go of 1 contact request.', 'Lab: let go of 2 contact requests.']);

    board.dismiss(first.id);
    expect(board.standing('let-go lab', 'warning', 'Lab: let go of 3 contact requests.').id).not.toBe(first.id);
  });
});
