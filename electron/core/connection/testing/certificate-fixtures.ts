/** Certificates for verification tests, all for localhost and 127.0.0.1 (see fixtures/make-certificate-fixtures.sh). */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';

import { listenLocally } from './tcp-servers.js';

const fixture = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

/** The key of every localhost certificate here. */
export const localhostKey = fixture('localhost.key.pem');
/** A company's own CA, unknown to Node. */
export const testCaCertificate = fixture('test-ca.cert.pem');
/** Signed by testCaCertificate, valid until 2126. */
export const localhostByTestCa = fixture('localhost-by-test-ca.cert.pem');
/** Self-signed, valid until 2126. */
export const selfSignedLocalhost = fixture('localhost.cert.pem');
/** Self-signed, valid in the year 2000 only. */
export const expiredLocalhost = fixture('localhost-expired.cert.pem');
/** Self-signed, valid from 2100. */
export const notYetValidLocalhost = fixture('localhost-not-yet-valid.cert.pem');

/** "AB:CD:…", as Node's peer certificate gives it. */
export function fingerprintOf(pem: string): string {
  return new X509Certificate(pem).fingerprint256;
}

/** A TLS server presenting `cert`; for each connection, once closed, the bytes the client sent over TLS. */
export async function startCountingTlsServer(cert: string): Promise<{ server: net.Server; port: number; connections: Promise<number>[] }> {
  const connections: Promise<number>[] = [];
  const server = net.createServer((raw) => {
    let bytes = 0;
    const secured = new tls.TLSSocket(raw, { isServer: true, key: localhostKey, cert });
    secured.on('data', (chunk: Buffer) => (bytes += chunk.length)).on('error', () => {});
    connections.push(new Promise((resolve) => raw.once('close', () => resolve(bytes))));
  });
  const port = await listenLocally(server);
  return { server, port, connections };
}
