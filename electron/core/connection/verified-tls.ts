import type net from 'node:net';
import tls from 'node:tls';

import { certificateProblemsOf, certificateView, trustedDespite } from './certificate-check.js';
import { CertificateError } from './errors.js';
import type { TlsTrust } from './trust.js';

/**
 * TLS over `socket`, settled only once the server's certificate is verified: against the CAs and
 * the name (as Node does), or pinned by the user. Node is told not to refuse it itself, so that a
 * refused certificate can be shown; nothing of the caller's is sent before this resolves.
 */
export async function verifiedTls(socket: net.Socket, trust: TlsTrust, ALPNProtocols?: string[]): Promise<tls.TLSSocket> {
  const { servername, secureContext } = trust;
  const secured = tls.connect({ socket, servername, secureContext, rejectUnauthorized: false, ...(ALPNProtocols ? { ALPNProtocols } : {}) });
  secured.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    secured.once('secureConnect', resolve);
    secured.once('error', reject);
    // The route socket destroyed under a handshake that never finished (the server went, or the attempt was cancelled).
    secured.once('close', () => reject(Object.assign(new Error('the connection closed during the TLS handshake'), { code: 'ECONNRESET' })));
  });
  if (secured.authorized) return secured;
  const peer = secured.getPeerCertificate();
  const certificate = certificateView(peer, servername, certificateProblemsOf(peer, servername, String(secured.authorizationError)));
  if (trustedDespite(certificate, trust.trustedFingerprints)) return secured;
  secured.destroy();
  trust.onRefused?.(certificate);
  throw new CertificateError(certificate);
}
