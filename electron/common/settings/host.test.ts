import { describe, expect, it } from 'vitest';
import { isHost } from './host.js';

describe('isHost', () => {
  it.each(['chat.example.com', 'localhost', 'xmpp-1.corp.example', 'a.b', 'EXAMPLE.COM', '192.0.2.7', '0.0.0.0', '[2001:db8::1]', '[::1]', '[::]', '[1:2:3:4:5:6:7:8]', '[::ffff:192.0.2.7]'])(
    'accepts %s',
    (host) => expect(isHost(host)).toBe(true),
  );

  it.each([
    ['', 'empty'],
    ['chat example.com', 'a space'],
    ['-chat.example.com', 'a label starting with a hyphen'],
    ['chat..example.com', 'an empty label'],
    ['chat.example.com.', 'a trailing dot'],
    ['chat_1.example.com', 'an underscore'],
    [`${'a'.repeat(64)}.example.com`, 'a label longer than 63 characters'],
    ['256.1.1.1', 'an IPv4 octet above 255'],
    ['192.0.2', 'an IPv4 address with three octets'],
    ['01.2.3.4', 'an IPv4 octet with a leading zero'],
    ['2001:db8::1', 'an IPv6 address without brackets'],
    ['[2001:db8::1::2]', 'two "::" in one IPv6 address'],
    ['[1:2:3:4:5:6:7:8:9]', 'nine IPv6 groups'],
    ['[12345::1]', 'an IPv6 group of five digits'],
    ['[::ffff:999.0.2.7]', 'a bad embedded IPv4 address'],
    ['chat.example.com:5222', 'a port'],
    ['https://chat.example.com', 'a URL'],
  ])('rejects %s (%s)', (host) => expect(isHost(host)).toBe(false));
});
