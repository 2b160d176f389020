import { describe, expect, it } from 'vitest';
import { fittedTo, PREFERENCES_WINDOW_SIZE } from './windows.js';

describe('the Preferences window size', () => {
  it('is kept on a large screen', () => {
    expect(fittedTo({ width: 1920, height: 1040 }, PREFERENCES_WINDOW_SIZE)).toEqual(PREFERENCES_WINDOW_SIZE);
  });

  it('shrinks to what a small laptop screen leaves free', () => {
    expect(fittedTo({ width: 1366, height: 728 }, PREFERENCES_WINDOW_SIZE)).toEqual({ width: 960, height: 728 });
  });
});
