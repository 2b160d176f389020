import { describe, expect, it } from 'vitest';

import { errorWords } from './error-words.js';

describe('an error in words', () => {
  it('is what it said', () => {
    expect(errorWords(new Error('socket hang up'))).toBe('socket hang up');
    expect(errorWords('refused')).toBe('refused');
  });

  it('is never empty: an error that said nothing is named', () => {
    expect(errorWords(Object.assign(new Error(), { name: 'TimeoutError' }))).toBe('TimeoutError, with no message');
    expect(errorWords('')).toBe('an error with no message');
  });
});
