import { describe, expect, it } from 'vitest';

import { conversationTitle } from './room-words.js';

describe('a conversation’s title', () => {
  it('names a private chat through a room by the occupant and the room', () => {
    expect(conversationTitle('team@rooms.example.org/carol')).toBe('carol (in team)');
    expect(conversationTitle('team@rooms.example.org/Carol Smith')).toBe('Carol Smith (in team)');
  });

  it('is anyone else’s address', () => {
    expect(conversationTitle('bob@example.org')).toBe('bob@example.org');
  });
});
