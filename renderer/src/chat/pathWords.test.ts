import { describe, expect, it } from 'vitest';
import { parsePath, pathWords } from './pathWords.js';

describe('pathWords', () => {
  it('says which transport won and through which proxy', () => {
    expect(pathWords('WebSocket wss://chat.lab.test:443/xmpp-websocket via proxy.lab.test:3128')).toBe('WebSocket over HTTPS via proxy.lab.test:3128');
    expect(pathWords('WebSocket wss://chat.lab.test:443/xmpp-websocket via HTTP proxy proxy.lab.test:3128')).toBe(
      'WebSocket over HTTPS via HTTP proxy proxy.lab.test:3128',
    );
    expect(pathWords('BOSH https://chat.lab.test:443/http-bind via SOCKS5 proxy socks.lab.test:1080')).toBe('BOSH over HTTPS via SOCKS5 proxy socks.lab.test:1080');
  });

  it('says "no proxy" for a direct path and names the system proxy', () => {
    expect(pathWords('direct TLS xmpps://chat.lab.test:5223 via direct')).toBe('Direct TLS, no proxy');
    expect(pathWords('TCP+STARTTLS xmpp://chat.lab.test:5222 via direct')).toBe('TCP with STARTTLS, no proxy');
    expect(pathWords('BOSH https://chat.lab.test/http-bind via system proxy')).toBe('BOSH over HTTPS via the system proxy');
    expect(pathWords("BOSH https://chat.lab.test/http-bind via system proxy on the system's network stack")).toBe(
      "BOSH over HTTPS via the system proxy, on the system's network stack",
    );
  });

  it('calls unencrypted tunnels plain', () => {
    expect(pathWords('WebSocket ws://chat.lab.test:80/xmpp-websocket via direct')).toBe('WebSocket over plain HTTP, no proxy');
    expect(pathWords('BOSH http://chat.lab.test:80/http-bind via direct')).toBe('BOSH over plain HTTP, no proxy');
    expect(parsePath('BOSH http://chat.lab.test:80/http-bind via direct')?.encrypted).toBe(false);
  });

  it('reads the server out of the URL, IPv6 included', () => {
    expect(parsePath('WebSocket wss://chat.lab.test:443/xmpp-websocket via direct')).toEqual({
      transport: 'WebSocket over HTTPS',
      server: 'chat.lab.test:443',
      encrypted: true,
      via: null,
    });
    expect(parsePath('direct TLS xmpps://[2001:db8::1]:5223 via direct')?.server).toBe('[2001:db8::1]:5223');
  });

  it('leaves a path it cannot read as it is', () => {
    expect(pathWords('something new')).toBe('something new');
    expect(pathWords('WebSocket xmpp://odd via direct')).toBe('WebSocket xmpp://odd via direct');
    expect(parsePath('')).toBeNull();
  });
});
