import { describe, expect, it } from 'vitest';

import { sharedFileOf } from './files.js';

describe('sharedFileOf', () => {
  it('takes a message that is one address ending in a file name as a shared file', () => {
    expect(sharedFileOf('https://upload.example.org/abc/holiday%20photo.png')).toEqual({
      url: 'https://upload.example.org/abc/holiday%20photo.png',
      name: 'holiday photo.png',
      looksLikeImage: true,
    });
    expect(sharedFileOf('https://upload.example.org/abc/report.pdf')).toMatchObject({ name: 'report.pdf', looksLikeImage: false });
  });

  it('leaves text, pages and other schemes as they are', () => {
    expect(sharedFileOf('see https://example.org/a.png')).toBeNull();
    expect(sharedFileOf('https://example.org/')).toBeNull();
    expect(sharedFileOf('https://example.org/about')).toBeNull();
    expect(sharedFileOf('ftp://example.org/a.png')).toBeNull();
  });
});
