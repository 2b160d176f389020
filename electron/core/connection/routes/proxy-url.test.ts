import { describe, expect, it } from 'vitest';

import { parseProxyUrl } from './proxy-url.js';

describe('parseProxyUrl', () => {
  it.each([
    ['http://proxy.lab.test:3128', { type: 'http', host: 'proxy.lab.test', port: 3128, resolveThroughProxy: true }],
    ['https://proxy.lab.test', { type: 'https', host: 'proxy.lab.test', port: 443, resolveThroughProxy: true }],
    ['socks5://socks.lab.test', { type: 'socks5', host: 'socks.lab.test', port: 1080, resolveThroughProxy: false }],
    ['socks5h://socks.lab.test:1081', { type: 'socks5', host: 'socks.lab.test', port: 1081, resolveThroughProxy: true }],
    ['socks4a://[2001:db8::9]:1080', { type: 'socks4', host: '2001:db8::9', port: 1080, resolveThroughProxy: true }],
    [
      'http://alice:s%40cret@proxy.lab.test:3128/',
      { type: 'http', host: 'proxy.lab.test', port: 3128, resolveThroughProxy: true, username: 'alice', password: 's@cret' },
    ],
  ])('reads %s', (url, expected) => {
    expect(parseProxyUrl(url)).toEqual(expected);
  });

  it.each(['proxy.lab.test:3128', 'ftp://proxy.lab.test', 'http://proxy.lab.test:99999', 'http://'])('rejects %j', (url) => {
    expect(() => parseProxyUrl(url)).toThrow();
  });
});
