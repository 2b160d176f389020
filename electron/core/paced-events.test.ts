import { describe, expect, it } from 'vitest';

import type { ContactView, EventChannel, EventOf, RosterDelta } from '../contract/contract.js';
import { applyKeyedChanges } from '../contract/keyed-changes.js';
import { PacedEvents } from './paced-events.js';

const contact = (n: number, status: string): ContactView => ({
  jid: `contact${n}@lab.test`,
  name: null,
  groups: [],
  subscription: 'both',
  askPending: false,
  availability: 'available',
  status,
});
const delta = (changes: Partial<RosterDelta>): RosterDelta => ({ communityId: 'lab', upserted: [], removed: [], requestsAdded: [], requestsRemoved: [], ...changes });

/** A page that takes `room` events, then is busy until it has caught up. */
function slowPage(room: number) {
  const delivered: { channel: EventChannel; payload: unknown }[] = [];
  let unread = 0;
  const page = {
    delivered,
    deliver<E extends EventChannel>(channel: E, payload: EventOf<E>) {
      delivered.push({ channel, payload });
      unread += 1;
    },
    busy: () => unread >= room,
    catchUp: () => void (unread = 0),
    rosterDeltas: () => delivered.filter(({ channel }) => channel === 'roster:delta').map(({ payload }) => payload as RosterDelta),
  };
  return page;
}

describe('events paced to a slow page', () => {
  it('go out at once while the page keeps up', () => {
    const page = slowPage(10);
    const paced = new PacedEvents(page);
    paced.send('roster:delta', delta({ upserted: [contact(1, 'a')] }));
    paced.send('chat:peerState', { communityId: 'lab', peer: 'bob@lab.test', state: 'composing' });
    expect(page.delivered).toHaveLength(2);
    expect(paced.held).toBe(0);
  });

  it('are held one per item while it is busy, bounded however many come, and the latest of each arrives when it drains', () => {
    const page = slowPage(1);
    const paced = new PacedEvents(page);
    paced.send('roster:delta', delta({ upserted: [contact(0, 'first')] }));

    // A presence flood over 2,000 contacts, 20 rounds, one delta per contact per round, and a stream of account states.
    for (let round = 0; round < 20; round++) {
      for (let n = 0; n < 2_000; n++) paced.send('roster:delta', delta({ upserted: [contact(n, `round ${round}`)] }));
      paced.send('account:changed', { communityId: 'lab' } as EventOf<'account:changed'>);
    }
    paced.send('roster:delta', delta({ removed: ['contact5@lab.test'], requestsAdded: ['asker@elsewhere.test'] }));
    paced.send('chat:message', { communityId: 'lab', peer: 'bob@lab.test', id: 'm1', direction: 'out', body: 'hi', at: '2026-03-12T10:00:00Z', state: 'queued', edited: false });
    paced.send('chat:message', { communityId: 'lab', peer: 'bob@lab.test', id: 'm1', direction: 'out', body: 'hi', at: '2026-03-12T10:00:00Z', state: 'delivered', edited: false });

    // One roster delta, one account state, one message: not 40,000 events.
    expect(paced.held).toBe(3);
    expect(page.delivered).toHaveLength(1);

    page.catchUp();
    paced.drain();
    expect(page.delivered).toHaveLength(2);
    page.catchUp();
    paced.drain();
    page.catchUp();
    paced.drain();
    expect(paced.held).toBe(0);

    const roster = page.rosterDeltas().reduce((contacts, { upserted, removed }) => applyKeyedChanges(contacts, { upserted, removed }, ({ jid }) => jid), [] as ContactView[]);
    expect(roster).toHaveLength(1_999);
    expect(new Set(roster.map(({ status }) => status))).toEqual(new Set(['round 19']));
    expect(page.rosterDeltas().at(-1)?.requestsAdded).toEqual(['asker@elsewhere.test']);
    expect(page.delivered.filter(({ channel }) => channel === 'chat:message').map(({ payload }) => (payload as EventOf<'chat:message'>).state)).toEqual(['delivered']);
  });

  it('send nothing new past what is held: a page that drains gets events in the order they were last held', () => {
    const page = slowPage(1);
    const paced = new PacedEvents(page);
    paced.send('chat:peerState', { communityId: 'lab', peer: 'bob@lab.test', state: 'composing' });
    paced.send('chat:peerState', { communityId: 'lab', peer: 'carol@lab.test', state: 'composing' });
    paced.send('chat:peerState', { communityId: 'lab', peer: 'dave@lab.test', state: 'composing' });
    paced.send('chat:peerState', { communityId: 'lab', peer: 'carol@lab.test', state: 'paused' });
    page.catchUp();
    // Busy no more, yet what is held goes first.
    paced.send('chat:peerState', { communityId: 'lab', peer: 'erin@lab.test', state: 'composing' });
    for (let i = 0; i < 3; i++) {
      page.catchUp();
      paced.drain();
    }
    expect(page.delivered.map(({ payload }) => (payload as EventOf<'chat:peerState'>).peer)).toEqual(['bob@lab.test', 'dave@lab.test', 'carol@lab.test', 'erin@lab.test']);
  });
});
