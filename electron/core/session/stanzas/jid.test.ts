import { describe, expect, it } from 'vitest';

import { bareJid, parseJid, requireBareJid } from './jid.js';

describe('JIDs', () => {
  it('compares local part and domain case-insensitively and keeps the resource as written', () => {
    expect(parseJid('Alice@Example.ORG/Desk')).toEqual({ local: 'alice', domain: 'example.org', resource: 'Desk' });
    expect(bareJid('Alice@Example.ORG/Desk/with/slashes')).toBe('alice@example.org');
    expect(bareJid('example.org')).toBe('example.org');
  });

  it.each([undefined, '', '@example.org', 'alice@', 'alice@example.org/', 'a b@example.org', 'a@b@example.org'])('rejects %j', (text) => {
    expect(parseJid(text)).toBeNull();
  });

  it('throws on a JID the caller should have checked', () => {
    expect(requireBareJid('Bob@Example.org/phone')).toBe('bob@example.org');
    expect(() => requireBareJid('@nobody')).toThrow('not a JID: "@nobody"');
  });
});
