import { createSecureContext, rootCertificates } from 'node:tls';
import type { SecureContext } from 'node:tls';

/** Certificates are always verified; an administrator may add CAs (e.g. a company's own). */
export interface CertificateTrust {
  /** PEM certificates trusted in addition to the system's. */
  extraCas?: string[];
}

/** The TLS options Burrow passes to every TLS connection it makes. */
export interface TlsTrust {
  servername: string;
  secureContext?: SecureContext;
}

// Parsing the system's CAs takes tens of milliseconds; a race makes several handshakes at once.
const secureContexts = new Map<string, SecureContext>();

/** `servername` is the XMPP domain (RFC 6120 §13.7.2.1), whatever host the connection goes to. */
export function tlsTrustFor(servername: string, trust: CertificateTrust = {}): TlsTrust {
  const extraCas = trust.extraCas ?? [];
  if (extraCas.length === 0) return { servername };
  const key = extraCas.join('\n');
  let secureContext = secureContexts.get(key);
  if (!secureContext) {
    // Node's `ca` replaces the system's CAs, so they are passed along with the extra ones.
    secureContext = createSecureContext({ ca: [...rootCertificates, ...extraCas] });
    secureContexts.set(key, secureContext);
  }
  return { servername, secureContext };
}
