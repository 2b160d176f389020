import net from 'node:net';
import type tls from 'node:tls';

import { afterEach, describe, expect, it } from 'vitest';

import type { CertificateView } from '../../contract/attempt-view.js';
import { CertificateError } from './errors.js';
import {
  expiredLocalhost,
  fingerprintOf,
  localhostByTestCa,
  notYetValidLocalhost,
  selfSignedLocalhost,
  startCountingTlsServer,
  testCaCertificate,
} from './testing/certificate-fixtures.js';
import { closeServer } from './testing/tcp-servers.js';
import { tlsTrustFor } from './trust.js';
import type { CertificateTrust } from './trust.js';
import { verifiedTls } from './verified-tls.js';

let server: net.Server | undefined;
afterEach(async () => {
  if (server) await closeServer(server);
  server = undefined;
});

async function connectTo(cert: string, servername: string, trust: CertificateTrust = {}) {
  const started = await startCountingTlsServer(cert);
  server = started.server;
  const socket = net.connect(started.port, '127.0.0.1');
  const secured = verifiedTls(socket, tlsTrustFor(servername, trust));
  return { secured, connections: started.connections };
}

async function refusal(secured: Promise<tls.TLSSocket>): Promise<CertificateView> {
  const error = await secured.then(
    () => expect.fail('the certificate was accepted'),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CertificateError);
  return (error as CertificateError).certificate;
}

describe('verifiedTls', () => {
  it('accepts a certificate from a CA the administrator added', async () => {
    const { secured } = await connectTo(localhostByTestCa, 'localhost', { extraCas: [testCaCertificate] });
    const socket = await secured;
    expect(socket.authorized).toBe(true);
    socket.destroy();
  });

  it('refuses a self-signed certificate with its details, and nothing reaches the server', async () => {
    const { secured, connections } = await connectTo(selfSignedLocalhost, 'localhost');
    const certificate = await refusal(secured);
    expect(certificate).toEqual({
      expectedName: 'localhost',
      subject: 'CN=localhost, O=Burrow test fixture',
      issuer: 'CN=localhost, O=Burrow test fixture',
      names: ['localhost', '127.0.0.1'],
      notBefore: '2026-11-22T21:30:50.000Z',
      notAfter: '2126-10-29T21:30:50.000Z',
      fingerprint256: fingerprintOf(selfSignedLocalhost),
      problems: ['self-signed'],
    });
    expect(await connections[0]).toBe(0);
  });

  it('refuses a certificate from a CA nobody added', async () => {
    const { secured } = await connectTo(localhostByTestCa, 'localhost');
    expect((await refusal(secured)).problems).toEqual(['unknown-issuer']);
  });

  it('tells whoever listens which certificate it refused', async () => {
    const refused: CertificateView[] = [];
    const { secured } = await connectTo(selfSignedLocalhost, 'localhost', { onRefused: (certificate) => refused.push(certificate) });
    const certificate = await refusal(secured);
    expect(refused).toEqual([certificate]);
  });

  describe('a certificate the user trusts', () => {
    it('is accepted, exactly that one', async () => {
      const { secured } = await connectTo(selfSignedLocalhost, 'localhost', { trustedFingerprints: [fingerprintOf(selfSignedLocalhost)] });
      (await secured).destroy();
    });

    it('does not make another certificate trusted', async () => {
      const { secured } = await connectTo(localhostByTestCa, 'localhost', { trustedFingerprints: [fingerprintOf(selfSignedLocalhost)] });
      expect((await refusal(secured)).problems).toEqual(['unknown-issuer']);
    });

    it('is refused for another name, with that cause', async () => {
      const { secured } = await connectTo(selfSignedLocalhost, 'chat.lab.test', { trustedFingerprints: [fingerprintOf(selfSignedLocalhost)] });
      expect((await refusal(secured)).problems).toEqual(['self-signed', 'name-mismatch']);
    });

    it('is refused once expired, with that cause', async () => {
      const { secured, connections } = await connectTo(expiredLocalhost, 'localhost', { trustedFingerprints: [fingerprintOf(expiredLocalhost)] });
      const certificate = await refusal(secured);
      expect(certificate.problems).toContain('expired');
      expect(certificate.notAfter).toBe('2001-01-01T00:00:00.000Z');
      expect(await connections[0]).toBe(0);
    });

    it('is refused before it is valid, with that cause', async () => {
      const { secured } = await connectTo(notYetValidLocalhost, 'localhost', { trustedFingerprints: [fingerprintOf(notYetValidLocalhost)] });
      expect((await refusal(secured)).problems).toContain('not-yet-valid');
    });
  });
});
