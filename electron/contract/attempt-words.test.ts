import { describe, expect, it } from 'vitest';

import type { AttemptPath, PathRoute } from './attempt-path.js';
import { attemptCauseWords, pathLine, pathWords } from './attempt-words.js';

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

describe('a failure on a bare host:port in words', () => {
  const target = 'chat.example.com:5223';

  it('says what Burrow assumed of the port, and the address to give for the other transport', () => {
    expect(attemptCauseWords({ kind: 'tls', target, problem: 'not-tls', serverName: 'chat.example.com', detail: 'wrong version number', assumed: { because: 'direct-tls-port', target } })).toBe(
      'chat.example.com:5223 did not answer with TLS; something other than a TLS server is there; ' +
        'Burrow assumed direct TLS because 5223 is the direct-TLS port (XEP-0368) — give xmpp://chat.example.com:5223 to use STARTTLS',
    );
    expect(attemptCauseWords({ kind: 'no-answer', target: 'chat.example.com:443', withinMs: 10_000, nextPathTried: false, assumed: { because: 'https-port', target: 'chat.example.com:443' } })).toBe(
      'no answer from chat.example.com:443 within 10000 ms; Burrow assumed direct TLS because 443 is the HTTPS port — ' +
        'give xmpp://chat.example.com:443 to use STARTTLS, or an https:// or wss:// address for BOSH or WebSocket',
    );
  });

  it('blames the guess, not a firewall, for a connection cut after the wrong start', () => {
    expect(attemptCauseWords({ kind: 'reset', target: 'chat.example.com:5333', assumed: { because: 'any-other-port', target: 'chat.example.com:5333' } })).toBe(
      'the connection to chat.example.com:5333 was cut (reset) before XMPP started; ' +
        'Burrow assumed TCP with STARTTLS, as for any port but 5223 and 443 — give xmpps://chat.example.com:5333 to use direct TLS',
    );
  });
});
