import tls from 'node:tls';
import type { SecureContext } from 'node:tls';

import type { CertificateView } from '../../contract/attempt-view.js';
import { systemCasOnce } from './system-cas.js';

/** Certificates are always verified; an administrator may add CAs (e.g. a company's own), a user trust one certificate. */
export interface CertificateTrust {
  /** PEM certificates trusted in addition to Node's and the system's. */
  extraCas?: string[];
  /**
   * SHA-256 fingerprints ("AB:CD:…") of server certificates the user chose to trust after seeing
   * them: accepted despite an unknown issuer, never despite a wrong name or dates.
   */
  trustedFingerprints?: readonly string[];
  /** Told of every server certificate refused, so that the user can be offered to trust it. */
  onRefused?: (certificate: CertificateView) => void;
}

/** The TLS options Burrow passes to every TLS connection it makes, and what verifiedTls needs beyond them. */
export interface TlsTrust {
  servername: string;
  secureContext: SecureContext;
  trustedFingerprints?: readonly string[];
  onRefused?: (certificate: CertificateView) => void;
}

// Parsing a few hundred CAs takes tens of milliseconds; a race makes several handshakes at once.
const secureContexts = new Map<string, SecureContext>();

/** Node's CAs as it would use them: NODE_EXTRA_CA_CERTS included where the runtime tells (Node 22.15+), its bundle otherwise. */
function nodeCas(): readonly string[] {
  const { getCACertificates } = tls as { getCACertificates?: (type: 'default') => string[] };
  return getCACertificates?.('default') ?? tls.rootCertificates;
}

/** `servername` is the XMPP domain (RFC 6120 §13.7.2.1), whatever host the connection goes to. */
export function tlsTrustFor(servername: string, trust: CertificateTrust = {}): TlsTrust {
  const extraCas = trust.extraCas ?? [];
  const key = extraCas.join('\n');
  let secureContext = secureContexts.get(key);
  if (!secureContext) {
    // Node's `ca` replaces its own CAs, so they are passed along with the system's and the extra ones.
    const system = systemCasOnce();
    const systemCertificates = system.source === 'unavailable' ? [] : system.certificates;
    secureContext = tls.createSecureContext({ ca: [...new Set([...nodeCas(), ...systemCertificates, ...extraCas])] });
    secureContexts.set(key, secureContext);
  }
  return {
    servername,
    secureContext,
    ...(trust.trustedFingerprints?.length ? { trustedFingerprints: trust.trustedFingerprints } : {}),
    ...(trust.onRefused ? { onRefused: trust.onRefused } : {}),
  };
}
