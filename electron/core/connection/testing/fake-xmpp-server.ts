/**
 * A minimal XMPP server on 127.0.0.1 for attempt tests: direct TLS or STARTTLS, SASL PLAIN that
 * accepts anyone or SCRAM-SHA-256 for one password, resource binding. It answers each element as
 * it arrives whole (true on loopback).
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
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
  /** Offer SCRAM-SHA-256 instead of PLAIN: the server knows this password, or proves a wrong one. */
  scram?: { password: string; proves: 'right' | 'wrong' };
  /** Never answer the sign-in (a server that hangs once the client authenticates). */
  silentOnSignIn?: boolean;
}

export interface FakeXmppServer {
  port: number;
  /** Elements the server received, by name, in order. */
  received: string[];
  close(): Promise<void>;
}

/** The server's side of SCRAM-SHA-256 (RFC 5802 §3), for a password it knows. */
function scramServer(password: string) {
  const salt = randomBytes(16);
  const serverNonce = randomBytes(12).toString('base64');
  const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
  let clientFirstBare = '';
  let serverFirst = '';
  return {
    challenge(clientFirst: string): string {
      clientFirstBare = clientFirst.replace(/^n,,/, '');
      const clientNonce = /(?:^|,)r=([^,]*)/.exec(clientFirstBare)?.[1] ?? '';
      serverFirst = `r=${clientNonce}${serverNonce},s=${salt.toString('base64')},i=4096`;
      return serverFirst;
    },
    serverFinal(clientFinal: string): string {
      const authMessage = `${clientFirstBare},${serverFirst},${clientFinal.replace(/,p=[^,]*$/, '')}`;
      const saltedPassword = pbkdf2Sync(password, salt, 4096, createHash('sha256').digest().length, 'sha256');
      return `v=${hmac(hmac(saltedPassword, 'Server Key'), authMessage).toString('base64')}`;
    },
  };
}

const saslText = (element: string, text: string) => /<[^>]*>([^<]*)</.exec(text.slice(text.indexOf(`<${element}`)))?.[1] ?? '';
const base64 = { decode: (text: string) => Buffer.from(text, 'base64').toString('utf8'), encode: (text: string) => Buffer.from(text).toString('base64') };

export async function startFakeXmppServer({ mode, scram, silentOnSignIn = false }: FakeXmppServerOptions): Promise<FakeXmppServer> {
  const received: string[] = [];
  const tlsOptions = { key: testKey, cert: testCertificate };
  const serve = (socket: net.Socket, secure: boolean) => {
    let authenticated = false;
    const scramExchange = scram && scramServer(scram.password);
    socket.on('error', () => {});
    socket.on('data', function onData(chunk: Buffer) {
      const text = chunk.toString('utf8');
      for (const name of text.match(/<([a-z:]+)/g) ?? []) received.push(name.slice(1));
      if (text.includes('<stream:stream')) {
        const features = !secure && mode === 'starttls'
          ? "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"
          : authenticated
            ? "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/>"
            : `<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>${scram ? 'SCRAM-SHA-256' : 'PLAIN'}</mechanism></mechanisms>`;
        socket.write(
          "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' " +
            `id='fake' from='localhost' version='1.0'><stream:features>${features}</stream:features>`,
        );
      } else if (text.includes('<starttls')) {
        socket.off('data', onData);
        socket.write("<proceed xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>", () => {
          serve(new tls.TLSSocket(socket, { isServer: true, ...tlsOptions }), true);
        });
      } else if (text.includes('<auth') && silentOnSignIn) {
        return;
      } else if (text.includes('<auth') && scramExchange) {
        const serverFirst = scramExchange.challenge(base64.decode(saslText('auth', text)));
        socket.write(`<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${base64.encode(serverFirst)}</challenge>`);
      } else if (text.includes('<response') && scramExchange) {
        authenticated = true;
        const serverFinal = scram?.proves === 'right' ? scramExchange.serverFinal(base64.decode(saslText('response', text))) : `v=${randomBytes(32).toString('base64')}`;
        socket.write(`<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>${base64.encode(serverFinal)}</success>`);
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
