import { describe, expect, it } from 'vitest';
import { linkify, safeHref } from './linkify.js';

describe('linkify', () => {
  it('finds http, https and mailto links in text', () => {
    expect(linkify('see https://example.test/a?b=1#c and mail mailto:bob@example.test now')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.test/a?b=1#c', href: 'https://example.test/a?b=1#c' },
      { kind: 'text', text: ' and mail ' },
      { kind: 'link', text: 'mailto:bob@example.test', href: 'mailto:bob@example.test' },
      { kind: 'text', text: ' now' },
    ]);
    expect(linkify('http://example.test')).toEqual([{ kind: 'link', text: 'http://example.test', href: 'http://example.test/' }]);
  });

  it('leaves sentence punctuation and unbalanced brackets out of the link', () => {
    expect(linkify('Read https://example.test/x.')).toEqual([
      { kind: 'text', text: 'Read ' },
      { kind: 'link', text: 'https://example.test/x', href: 'https://example.test/x' },
      { kind: 'text', text: '.' },
    ]);
    expect(linkify('(see https://example.test/wiki/A_(b)), ok')[1]).toEqual({
      kind: 'link',
      text: 'https://example.test/wiki/A_(b)',
      href: 'https://example.test/wiki/A_(b)',
    });
  });

  it('never makes other schemes into links', () => {
    for (const text of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<b>x</b>', 'file:///etc/passwd', 'vbscript:x', 'ftp://example.test']) {
      expect(linkify(text)).toEqual([{ kind: 'text', text }]);
    }
    expect(linkify('javascript:alert("https://example.test")').filter((segment) => segment.kind === 'link')).toEqual([
      { kind: 'link', text: 'https://example.test', href: 'https://example.test/' },
    ]);
  });

  it('keeps plain text as one segment and handles the empty body', () => {
    expect(linkify('hello <b>there</b>')).toEqual([{ kind: 'text', text: 'hello <b>there</b>' }]);
    expect(linkify('')).toEqual([]);
  });

  it('accepts only web and mail addresses as safe', () => {
    expect(safeHref('https://example.test')).toBe('https://example.test/');
    expect(safeHref('mailto:')).toBeNull();
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('https://')).toBeNull();
  });
});
