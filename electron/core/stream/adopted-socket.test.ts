import { EventEmitter } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';

import { afterEach, describe, expect, it } from 'vitest';

import { startFakeXmppServer, testCertificate } from '../connection/testing/fake-xmpp-server.js';
import type { FakeXmppServer } from '../connection/testing/fake-xmpp-server.js';
import type { FrameSocket } from './adopted-socket.js';
import { XmppStream } from './xmpp-stream.js';

const FEATURES =
  "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>";

/**
 * A carrier of RFC 7395 frames whose server answers the stream's opening on the next turn, while
 * the write that opened it has not completed (its callback never comes).
 */
class EagerServerFrames extends EventEmitter implements FrameSocket {
  readonly secure = true;
  write(frame: string): void {
    if (!frame.startsWith('<open')) return;
    setImmediate(() => {
      this.emit('data', "<open xmlns='urn:ietf:params:xml:ns:xmpp-framing' from='lab.test' id='eager' version='1.0'/>");
      this.emit('data', FEATURES);
    });
  }
  end(): void {
    this.emit('close', false);
  }
  destroy(): void {
    this.emit('close', true);
  }
}

describe('a socket a route connected, adopted by the stream', () => {
  let server: FakeXmppServer | undefined;
  let stream: XmppStream | undefined;

  afterEach(async () => {
    stream?.drop();
    stream = undefined;
    await server?.close();
  });

  it('does not miss a server that answers the stream header before the write completes', async () => {
    stream = await XmppStream.open(new EagerServerFrames(), { domain: 'lab.test', stepTimeoutMs: 1_000 });
    expect(stream.features.getChild('mechanisms', 'urn:ietf:params:xml:ns:xmpp-sasl')).toBeDefined();
    expect(stream.secure).toBe(true);
  });

  it('upgrades a plain TCP socket with STARTTLS, then signs in over TLS', async () => {
    server = await startFakeXmppServer({ mode: 'starttls' });
    const socket = net.connect(server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const secure = (plain: net.Socket) =>
      new Promise<tls.TLSSocket>((resolve, reject) => {
        const secured = tls.connect({ socket: plain, ca: testCertificate, servername: 'localhost' }, () => resolve(secured));
        secured.once('error', reject);
      });
    stream = await XmppStream.open(socket, { domain: 'localhost', startTls: secure });
    expect(stream.secure).toBe(true);
    expect(server.received).toContain('starttls');
    await stream.authenticate({ username: 'alice', password: 'secret' });
    expect(stream.jid).toBe('alice@localhost/burrow');
  });
});
