import { describe, expect, it } from 'vitest';

import type { AttemptPath, PathRoute } from './attempt-path.js';
import { pathLine, pathWords } from './attempt-words.js';

const wss = (route: PathRoute): AttemptPath => ({
  transport: 'websocket',
  endpoint: { host: 'chat.lab.test', port: 443, path: '/xmpp-websocket', secure: true },
  route,
});
const direct: PathRoute = { kind: 'direct' };
const httpProxy: PathRoute = { kind: 'proxy', proxyType: 'http', host: 'proxy.lab.test', port: 3128 };

describe('a path in words', () => {
  it('says which transport won and through which proxy', () => {
    expect(pathWords(wss(httpProxy))).toBe('WebSocket over HTTPS via HTTP proxy proxy.lab.test:3128');
    const bosh: AttemptPath = {
      transport: 'bosh',
      endpoint: { host: 'chat.lab.test', port: 443, path: '/http-bind', secure: true },
      route: { kind: 'proxy', proxyType: 'socks5', host: 'socks.lab.test', port: 1080 },
    };
    expect(pathWords(bosh)).toBe('BOSH over HTTPS via SOCKS5 proxy socks.lab.test:1080');
  });

  it('says "no proxy" for a direct path and names the system proxy', () => {
    expect(pathWords({ transport: 'directtls', endpoint: { host: 'chat.lab.test', port: 5223, secure: true }, route: direct })).toBe('Direct TLS, no proxy');
    expect(pathWords({ transport: 'starttls', endpoint: { host: 'chat.lab.test', port: 5222, secure: true }, route: direct })).toBe('TCP with STARTTLS, no proxy');
    expect(pathWords(wss({ kind: 'system', systemNetworkStack: false }))).toBe('WebSocket over HTTPS via the system proxy');
    expect(pathWords(wss({ kind: 'system', systemNetworkStack: true }))).toBe("WebSocket over HTTPS via the system proxy, on the system's network stack");
  });

  it('calls unencrypted tunnels plain', () => {
    expect(pathWords({ transport: 'websocket', endpoint: { host: 'chat.lab.test', port: 80, path: '/xmpp-websocket', secure: false }, route: direct })).toBe(
      'WebSocket over plain HTTP, no proxy',
    );
    expect(pathWords({ transport: 'bosh', endpoint: { host: 'chat.lab.test', port: 80, path: '/http-bind', secure: false }, route: direct })).toBe(
      'BOSH over plain HTTP, no proxy',
    );
  });

  it('writes the path in full for a help desk, IPv6 in brackets', () => {
    expect(pathLine(wss(httpProxy))).toBe('WebSocket wss://chat.lab.test:443/xmpp-websocket via HTTP proxy proxy.lab.test:3128');
    expect(pathLine({ transport: 'directtls', endpoint: { host: '2001:db8::1', port: 5223, secure: true }, route: direct })).toBe(
      'direct TLS xmpps://[2001:db8::1]:5223 via direct',
    );
    expect(pathLine(wss({ kind: 'system', systemNetworkStack: true }))).toBe(
      "WebSocket wss://chat.lab.test:443/xmpp-websocket via system proxy on the system's network stack",
    );
  });
});
