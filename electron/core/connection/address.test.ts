import { describe, expect, it } from 'vitest';

import { formatHostPort } from '../../contract/attempt-words.js';
import { AddressError, parseCommunityAddress } from './address.js';

describe('parseCommunityAddress', () => {
  it.each([
    ['chat.example.org', { scheme: null, host: 'chat.example.org', port: null, path: null }],
    ['  Chat.Example.ORG  ', { scheme: null, host: 'chat.example.org', port: null, path: null }],
    ['chat.example.org:5222', { scheme: null, host: 'chat.example.org', port: 5222, path: null }],
    ['localhost', { scheme: null, host: 'localhost', port: null, path: null }],
    ['198.18.0.2:8443', { scheme: null, host: '198.18.0.2', port: 8443, path: null }],
    ['[2001:db8::1]', { scheme: null, host: '2001:db8::1', port: null, path: null }],
    ['[2001:DB8::1]:5222', { scheme: null, host: '2001:db8::1', port: 5222, path: null }],
    ['[::ffff:198.18.0.2]:5223', { scheme: null, host: '::ffff:198.18.0.2', port: 5223, path: null }],
  ])('reads the plain address %j', (input, expected) => {
    expect(parseCommunityAddress(input)).toEqual(expected);
  });

  it.each([
    ['xmpp://chat.example.org', { scheme: 'xmpp', host: 'chat.example.org', port: null, path: null }],
    ['xmpp://chat.example.org:5222', { scheme: 'xmpp', host: 'chat.example.org', port: 5222, path: null }],
    ['XMPPS://chat.example.org:5223/', { scheme: 'xmpps', host: 'chat.example.org', port: 5223, path: null }],
    ['ws://chat.example.org/xmpp-websocket', { scheme: 'ws', host: 'chat.example.org', port: null, path: '/xmpp-websocket' }],
    ['wss://chat.example.org:443/ws', { scheme: 'wss', host: 'chat.example.org', port: 443, path: '/ws' }],
    ['http://chat.example.org:80/http-bind', { scheme: 'http', host: 'chat.example.org', port: 80, path: '/http-bind' }],
    ['https://chat.example.org/bosh?tenant=a', { scheme: 'https', host: 'chat.example.org', port: null, path: '/bosh?tenant=a' }],
    ['https://[2001:db8::5]:8443/http-bind', { scheme: 'https', host: '2001:db8::5', port: 8443, path: '/http-bind' }],
  ])('reads the URL %j', (input, expected) => {
    expect(parseCommunityAddress(input)).toEqual(expected);
  });

  it('keeps a port equal to the scheme default, because a written port means exactly one attempt', () => {
    expect(parseCommunityAddress('https://chat.example.org:443/http-bind').port).toBe(443);
    expect(parseCommunityAddress('ws://chat.example.org:80').port).toBe(80);
  });

  it.each([
    ['', 'it is empty'],
    ['   ', 'it is empty'],
    ['chat example.org', 'it contains spaces'],
    ['chat.example.org:0', 'the port 0 is outside 1–65535'],
    ['chat.example.org:65536', 'the port 65536 is outside 1–65535'],
    ['chat.example.org:xmpp', 'the port "xmpp" is not a number'],
    ['chat.example.org:', 'the port "" is not a number'],
    ['2001:db8::1', 'write IPv6 addresses in brackets'],
    ['[2001:db8::1', 'missing its closing "]"'],
    ['[2001:db8::1]5222', 'only ":port" may follow'],
    ['[chat.example.org]', 'is not an IPv6 address'],
    ['[1:2:3:4:5:6:7:8:9]', 'is not an IPv6 address'],
    ['chat_server.example.org', 'is not a valid host name'],
    ['-chat.example.org', 'is not a valid host name'],
    ['10.0.0.300', 'is not a valid host name'],
    ['chat.example.org/http-bind', 'a path needs a scheme'],
    ['gopher://chat.example.org', 'the scheme "gopher" is not supported'],
    ['xmpp:chat.example.org', 'write a URL as scheme://host'],
    ['https:/chat.example.org', 'write a URL as scheme://host'],
    ['https://', 'the host name is missing'],
    ['https://alice:secret@chat.example.org/', 'belong in the account fields'],
    ['xmpp://chat.example.org/path', 'an xmpp:// address has no path'],
    ['wss://chat.example.org/ws#frag', 'must not contain a fragment'],
  ])('rejects %j saying %j', (input, reason) => {
    expect(() => parseCommunityAddress(input)).toThrow(AddressError);
    expect(() => parseCommunityAddress(input)).toThrow(reason);
  });

  it('names the offending input in the error', () => {
    expect(() => parseCommunityAddress('chat.example.org:99999')).toThrow(
      '"chat.example.org:99999" is not a valid server address: the port 99999 is outside 1–65535',
    );
  });
});

describe('formatHostPort', () => {
  it('brackets IPv6 literals only', () => {
    expect(formatHostPort('chat.example.org', 5222)).toBe('chat.example.org:5222');
    expect(formatHostPort('198.18.0.2', 443)).toBe('198.18.0.2:443');
    expect(formatHostPort('2001:db8::1', 5223)).toBe('[2001:db8::1]:5223');
  });
});
