import { describe, expect, it } from 'vitest';

import { letGoWords, messagesWords, strangersWords } from './request-words.js';

describe('requests in words', () => {
  it('counts the people who wrote and their messages', () => {
    expect(strangersWords(1)).toBe('1 person you don’t know wrote to you');
    expect(strangersWords(2000)).toBe('2,000 people you don’t know wrote to you');
    expect(messagesWords(1)).toBe('1 message');
    expect(messagesWords(20)).toBe('20 messages');
  });

  it('says what was let go of, and how much of it Burrow keeps, naming only what was let go', () => {
    expect(letGoWords('Lab', { contactRequests: { count: 900, keeps: 100 } })).toBe(
      'Lab: more came in than Burrow keeps, so it let go of 900 contact requests (it keeps the newest 100).',
    );
    expect(
      letGoWords('Lab', {
        devices: { count: 1, keeps: 10 },
        messageRequests: { count: 1950, keeps: 50 },
        strangerMessages: { count: 2030, keeps: 20 },
        contactRequests: { count: 0, keeps: 100 },
      }),
    ).toBe(
      'Lab: more came in than Burrow keeps, so it let go of 1,950 message requests (it keeps the newest 50), ' +
        '2,030 messages from people you don’t know (a request keeps its first 20) and the presence of 1 device (it keeps 10 per contact).',
    );
  });
});
