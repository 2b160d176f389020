import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { describe, expect, it } from 'vitest';

import { parseCommunityAddress } from '../address.js';
import { planCandidates } from '../plan.js';
import {
  environmentProxyResolver,
  pacScriptResolver,
  pacUrlResolver,
  parsePacResult,
  proxyLookupUrl,
} from './system-proxy.js';

const LAB_PAC = `
function FindProxyForURL(url, host) {
  if (dnsDomainIs(host, ".lab.test") && !shExpMatch(host, "intranet.*")) return "PROXY proxy.lab.test:3128; DIRECT";
  return "DIRECT";
}`;

describe('parsePacResult', () => {
  it.each([
    ['DIRECT', [{ kind: 'direct' }]],
    ['PROXY proxy.lab.test:3128; DIRECT', [{ kind: 'proxy', type: 'http', host: 'proxy.lab.test', port: 3128 }, { kind: 'direct' }]],
    ['HTTPS secure.lab.test:443', [{ kind: 'proxy', type: 'https', host: 'secure.lab.test', port: 443 }]],
    ['SOCKS5 socks.lab.test:1080;SOCKS old.lab.test:1080', [
      { kind: 'proxy', type: 'socks5', host: 'socks.lab.test', port: 1080 },
      { kind: 'proxy', type: 'socks4', host: 'old.lab.test', port: 1080 },
    ]],
    ['PROXY [2001:db8::3]:3128', [{ kind: 'proxy', type: 'http', host: '2001:db8::3', port: 3128 }]],
    ['QUIC quic.lab.test:443; DIRECT', [{ kind: 'direct' }]],
    ['', [{ kind: 'direct' }]],
  ])('reads %j', (result, expected) => {
    expect(parsePacResult(result)).toEqual(expected);
  });
});

describe('proxyLookupUrl', () => {
  it('asks about raw XMPP streams as https, so the answer is a proxy that can CONNECT', () => {
    const { candidates, excluded } = planCandidates({
      address: parseCommunityAddress('chat.lab.test'),
      method: 'automatic',
      allowUnencrypted: false,
    });
    expect([...candidates, ...excluded.map(({ candidate }) => candidate)].map(({ endpoint }) => proxyLookupUrl(endpoint))).toEqual([
      'https://chat.lab.test:5223/',
      'https://chat.lab.test:5222/',
      'https://chat.lab.test:443/xmpp-websocket',
      'https://chat.lab.test:443/http-bind',
      'http://chat.lab.test:80/xmpp-websocket',
      'http://chat.lab.test:80/http-bind',
    ]);
  });
});

describe('environmentProxyResolver', () => {
  it('uses HTTPS_PROXY for https and HTTP_PROXY for http', async () => {
    const resolver = environmentProxyResolver({ HTTPS_PROXY: 'http://proxy.lab.test:3128', HTTP_PROXY: 'plain.lab.test:8080' });
    expect(await resolver.resolve('https://chat.lab.test:5222/')).toBe('PROXY proxy.lab.test:3128; DIRECT');
    expect(await resolver.resolve('http://chat.lab.test/http-bind')).toBe('PROXY plain.lab.test:8080; DIRECT');
  });

  it('prefers the lower-case variable, as curl does', async () => {
    const resolver = environmentProxyResolver({ https_proxy: 'http://lower.lab.test:3128', HTTPS_PROXY: 'http://upper.lab.test:3128' });
    expect(await resolver.resolve('https://chat.lab.test/')).toBe('PROXY lower.lab.test:3128; DIRECT');
  });

  it('falls back to ALL_PROXY and understands SOCKS URLs', async () => {
    const resolver = environmentProxyResolver({ ALL_PROXY: 'socks5h://socks.lab.test' });
    expect(await resolver.resolve('https://chat.lab.test:5223/')).toBe('SOCKS5 socks.lab.test:1080; DIRECT');
  });

  it.each([
    ['*', 'https://chat.lab.test/'],
    ['lab.test', 'https://chat.lab.test/'],
    ['.lab.test', 'https://chat.lab.test/'],
    ['other.test, chat.lab.test:5222', 'https://chat.lab.test:5222/'],
    ['[2001:db8::1]', 'https://[2001:db8::1]:5222/'],
    ['2001:db8::1', 'https://[2001:db8::1]:5222/'],
  ])('goes direct when NO_PROXY=%j covers %s', async (noProxy, url) => {
    const resolver = environmentProxyResolver({ HTTPS_PROXY: 'http://proxy.lab.test:3128', NO_PROXY: noProxy });
    expect(await resolver.resolve(url)).toBe('DIRECT');
  });

  it('still uses the proxy when NO_PROXY names another port or domain', async () => {
    const resolver = environmentProxyResolver({ HTTPS_PROXY: 'http://proxy.lab.test:3128', NO_PROXY: 'chat.lab.test:443,notlab.test' });
    expect(await resolver.resolve('https://chat.lab.test:5222/')).toBe('PROXY proxy.lab.test:3128; DIRECT');
  });

  it('goes direct when nothing is set', async () => {
    expect(await environmentProxyResolver({}).resolve('https://chat.lab.test/')).toBe('DIRECT');
  });
});

describe('PAC', () => {
  it('runs the script in a sandbox with the standard PAC functions', async () => {
    const resolver = await pacScriptResolver(LAB_PAC);
    expect(await resolver.resolve('https://chat.lab.test:5222/')).toBe('PROXY proxy.lab.test:3128; DIRECT');
    expect(await resolver.resolve('https://intranet.lab.test/')).toBe('DIRECT');
    expect(await resolver.resolve('https://example.org/')).toBe('DIRECT');
  });

  it('loads the script from its URL', async () => {
    const server = http.createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/x-ns-proxy-autoconfig' }).end(LAB_PAC);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const resolver = await pacUrlResolver(`http://127.0.0.1:${port}/proxy.pac`);
      expect(await resolver.resolve('https://chat.lab.test:443/http-bind')).toBe('PROXY proxy.lab.test:3128; DIRECT');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('says when the PAC file cannot be loaded', async () => {
    const server = http.createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await expect(pacUrlResolver(`http://127.0.0.1:${port}/proxy.pac`)).rejects.toThrow(
        `the PAC file at http://127.0.0.1:${port}/proxy.pac could not be loaded (HTTP 404)`,
      );
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
