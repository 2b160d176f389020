/**
 * A minimal XMPP server on 127.0.0.1 for attempt tests: direct TLS or STARTTLS, SASL PLAIN that
 * accepts anyone, resource binding. It answers each element as it arrives whole (true on loopback).
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';

import { closeServer, listenLocally } from './tcp-servers.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
/** A self-signed certificate for "localhost" and 127.0.0.1, valid until 2126. */
export const testCertificate = fixture('localhost.cert.pem');
export const testKey = fixture('localhost.key.pem');

export interface FakeXmppServerOptions {
  mode: 'direct-tls' | 'starttls' | 'plaintext-only';
}

export interface FakeXmppServer {
  port: number;
  /** Elements the server received, by name, in order. */
  received: string[];
  close(): Promise<void>;
}

export async function startFakeXmppServer({ mode }: FakeXmppServerOptions): Promise<FakeXmppServer> {
  const received: string[] = [];
  const tlsOptions = { key: testKey, cert: testCertificate };
  const serve = (socket: net.Socket, secure: boolean) => {
    let authenticated = false;
    socket.on('error', () => {});
    socket.on('data', function onData(chunk: Buffer) {
      const text = chunk.toString('utf8');
      for (const name of text.match(/<([a-z:]+)/g) ?? []) received.push(name.slice(1));
      if (text.includes('<stream:stream')) {
        const features = !secure && mode === 'starttls'
          ? "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
          : authenticated
            ? "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"
            : "<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>";
        socket.write(
          "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' " +
            `id='fake' from='localhost' version='1.0'><stream:features>${features}</stream:features>`,
        );
      } else if (text.includes('<starttls')) {
        socket.off('data', onData);
        socket.write("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", () => {
          serve(new tls.TLSSocket(socket, { isServer: true, ...tlsOptions }), true);
        });
      } else if (text.includes('<auth')) {
        authenticated = true;
        socket.write("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
      } else if (text.includes('<bind')) {
        const id = /id=["']([^"']+)["']/.exec(text)?.[1] ?? '';
        socket.write(
          `<iq type='result' id='${id}'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><jid>alice@localhost/burrow</jid></bind></iq>`,
        );
      } else if (text.includes('</stream:stream>')) {
        socket.end('</stream:stream>');
      }
    });
  };
  const server =
    mode === 'direct-tls'
      ? tls.createServer(tlsOptions, (socket) => serve(socket, true))
      : net.createServer((socket) => serve(socket, false));
  const port = await listenLocally(server);
  return { port, received, close: () => closeServer(server) };
}
