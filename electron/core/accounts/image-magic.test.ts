import { describe, expect, it } from 'vitest';

import { imageTypeOf } from './image-magic.js';

describe('imageTypeOf', () => {
  it('tells PNG, JPEG, GIF and WebP by their first bytes', () => {
    expect(imageTypeOf(Buffer.from('89504e470d0a1a0a0000000d', 'hex'))).toBe('image/png');
    expect(imageTypeOf(Buffer.from('ffd8ffe000104a4649460001', 'hex'))).toBe('image/jpeg');
    expect(imageTypeOf(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00', 'latin1'))).toBe('image/gif');
    expect(imageTypeOf(Buffer.from('RIFF\x24\x00\x00\x00WEBP', 'latin1'))).toBe('image/webp');
  });

  it('refuses what only claims to be an image: an SVG, HTML, or too few bytes', () => {
    expect(imageTypeOf(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">'))).toBeNull();
    expect(imageTypeOf(Buffer.from('<!doctype html><p>'))).toBeNull();
    expect(imageTypeOf(Buffer.from([0x89, 0x50]))).toBeNull();
  });
});
