import { describe, expect, it } from 'vitest';

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
});
