import https from 'node:https';
import type { AddressInfo } from 'node:net';

import { describe, expect, it } from 'vitest';

import { discoverEndpoints, httpsGetText, parseHostMeta } from './discovery.js';
import { testCertificate, testKey } from './testing/fake-xmpp-server.js';

const HOST_META = `<?xml version='1.0' encoding='utf-8'?>
<XRD xmlns='http://docs.oasis-open.org/ns/xri/xrd-1.0'>
  <Link rel="urn:xmpp:alt-connections:xbosh" href="https://chat.lab.test:5281/bind" />
  <Link rel="urn:xmpp:alt-connections:websocket" href="wss://chat.lab.test:5281/ws" />
  <Link rel="lrdd" href="https://chat.lab.test/lrdd" />
</XRD>`;

const noSuchName = () => Promise.reject(Object.assign(new Error('queryA ENOTFOUND'), { code: 'ENOTFOUND' }));

describe('parseHostMeta', () => {
  it('reads the WebSocket and BOSH links and ignores the rest', () => {
    expect(parseHostMeta(HOST_META)).toEqual([
      { method: 'xbosh', href: 'https://chat.lab.test:5281/bind' },
      { method: 'websocket', href: 'wss://chat.lab.test:5281/ws' },
    ]);
  });

  it('rejects what is not an XRD document', () => {
    expect(() => parseHostMeta('<html><body>Welcome</body></html>')).toThrow('host-meta is not an XRD document');
  });
});

describe('discoverEndpoints', () => {
  it('collects SRV records for direct TLS and STARTTLS, and host-meta links', async () => {
    const asked: string[] = [];
    const discovery = await discoverEndpoints('lab.test', {
      resolveSrv: async (name) => {
        asked.push(name);
        return name.startsWith('_xmpps-client')
          ? [{ name: 'chat.lab.test', port: 443, priority: 5, weight: 0 }]
          : [{ name: 'chat.lab.test', port: 5222, priority: 10, weight: 1 }];
      },
      fetchText: async (url) => {
        asked.push(url);
        return HOST_META;
      },
    });
    expect(asked).toEqual(['_xmpps-client._tcp.lab.test', '_xmpp-client._tcp.lab.test', 'https://lab.test/.well-known/host-meta']);
    expect(discovery).toEqual({
      srv: [
        { service: 'xmpps-client', target: 'chat.lab.test', port: 443, priority: 5, weight: 0 },
        { service: 'xmpp-client', target: 'chat.lab.test', port: 5222, priority: 10, weight: 1 },
      ],
      hostMeta: [
        { method: 'xbosh', href: 'https://chat.lab.test:5281/bind' },
        { method: 'websocket', href: 'wss://chat.lab.test:5281/ws' },
      ],
      problems: [],
    });
  });

  it('treats missing records and a missing host-meta as nothing to add, not as problems', async () => {
    const discovery = await discoverEndpoints('lab.test', {
      resolveSrv: noSuchName,
      fetchText: () => Promise.reject(Object.assign(new Error('HTTP 404'), { status: 404 })),
    });
    expect(discovery).toEqual({ srv: [], hostMeta: [], problems: [] });
  });

  it('gives up on a lookup that takes too long and says so', async () => {
    const discovery = await discoverEndpoints('lab.test', {
      timeoutMs: 20,
      resolveSrv: noSuchName,
      fetchText: () => new Promise(() => {}),
    });
    expect(discovery.problems).toEqual([
      'https://lab.test/.well-known/host-meta: no answer from https://lab.test/.well-known/host-meta within 20 ms',
    ]);
  });
});

describe('httpsGetText', () => {
  it('fetches over HTTPS, checking the certificate with the extra CAs', async () => {
    const server = https.createServer({ key: testKey, cert: testCertificate }, (_request, response) => response.end(HOST_META));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const url = `https://localhost:${port}/.well-known/host-meta`;
      expect(await httpsGetText('localhost', { extraCas: [testCertificate] })(url, 2000)).toBe(HOST_META);
      await expect(httpsGetText('localhost', undefined)(url, 2000)).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('drops the request when the race no longer needs it', async () => {
    const server = https.createServer({ key: testKey, cert: testCertificate }, () => {}); // never answers
    const closed = new Promise<void>((resolve) => server.on('connection', (socket) => socket.on('close', () => resolve())));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const stop = new AbortController();
      const fetching = httpsGetText('localhost', { extraCas: [testCertificate] })(`https://localhost:${port}/.well-known/host-meta`, 5000, stop.signal);
      setTimeout(() => stop.abort(), 50);
      await expect(fetching).rejects.toMatchObject({ name: 'AbortError' });
      await closed;
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
