import { describe, expect, it } from 'vitest';

import { readProxyUrl } from './proxy-url.js';

describe('a proxy written as a URL', () => {
  it.each([
    ['http://proxy.example.com:3128', { type: 'http', host: 'proxy.example.com', port: 3128, resolveThroughProxy: true }],
    ['HTTPS://Proxy.Example.com', { type: 'https', host: 'proxy.example.com', port: 443, resolveThroughProxy: true }],
    ['socks5://alice@Socks.Example.com:1080', { type: 'socks5', host: 'socks.example.com', port: 1080, resolveThroughProxy: false, username: 'alice', password: '' }],
    ['socks5h://[2001:db8::9]', { type: 'socks5', host: '[2001:db8::9]', port: 1080, resolveThroughProxy: true }],
    ['http://CORP%5Calice:s%40cret@proxy.example.com:3128/', { type: 'http', host: 'proxy.example.com', port: 3128, resolveThroughProxy: true, username: 'CORP\\alice', password: 's@cret' }],
  ])('reads %s as Preferences writes its fields', (text, expected) => {
    expect(readProxyUrl(text)).toEqual(expected);
  });

  it.each(['proxy.example.com', 'proxy.example.com:3128', 'ftp://proxy.example.com', 'http://proxy.example.com/path', 'http://proxy.example.com:0', 'http://', 'socks5://proxy corp'])(
    'is none in %j',
    (text) => {
      expect(readProxyUrl(text)).toBeNull();
    },
  );
});
