import { describe, expect, it } from 'vitest';

import { byteWords, tooLargeWords, uploadLimitWords, uploadRefusalWords } from './file-words.js';

describe('file words', () => {
  it('says sizes as a file manager does', () => {
    expect(byteWords(1)).toBe('1 byte');
    expect(byteWords(812)).toBe('812 bytes');
    expect(byteWords(1536)).toBe('1.5 KB');
    expect(byteWords(8 * 1024 * 1024)).toBe('8 MB');
    expect(byteWords(15 * 1024 * 1024 * 1024)).toBe('15 GB');
  });

  it('says the server’s limit, and a file over it', () => {
    expect(uploadLimitWords({ available: true, maxBytes: 8 * 1024 * 1024 })).toBe('Files up to 8 MB.');
    expect(uploadLimitWords({ available: false, maxBytes: null })).toBe('This server does not take files.');
    expect(tooLargeWords('film.mp4', 20 * 1024 * 1024, 8 * 1024 * 1024)).toBe('“film.mp4” is 20 MB; the server takes files up to 8 MB.');
  });

  it('says why the server refused a slot', () => {
    expect(uploadRefusalWords('a.png', 10, { kind: 'quota', text: 'Daily quota reached' })).toBe(
      'The server will take no more files from you for now: your upload quota is used up (it said: “Daily quota reached”).',
    );
    expect(uploadRefusalWords('a.png', 10, { kind: 'forbidden', text: null })).toBe('The server does not let this account share files.');
  });
});
