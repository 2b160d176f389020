import { describe, expect, it } from 'vitest';

import { EventHub } from './events.js';

describe('the event hub', () => {
  it('hands a one-channel listener only that channel’s events, until it unsubscribes', () => {
    const hub = new EventHub();
    const notices: string[] = [];
    const stop = hub.on('app:notice', (notice) => notices.push(notice.message));

    hub.emit('app:notice', { id: '1', level: 'info', message: 'first' });
    hub.emit('chat:peerState', { communityId: 'lab', peer: 'bob@chat.lab.test', state: 'composing' });
    stop();
    hub.emit('app:notice', { id: '2', level: 'info', message: 'second' });

    expect(notices).toEqual(['first']);
  });
});
