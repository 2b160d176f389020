/**
 * A refused server certificate in words: the one place they are made, for the attempts' causes,
 * the status banner, Preferences and `diagnose`. Core sends facts (CertificateView).
 */
import type { CertificateProblem, CertificateView } from './attempt-view.js';

/** "2026-12-02 06:46 UTC" */
export function certificateDate(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function problemWords(problem: CertificateProblem, certificate: CertificateView): string {
  switch (problem) {
    case 'name-mismatch':
      return `is for ${certificate.names.join(', ')}`;
    case 'expired':
      return `expired on ${certificateDate(certificate.notAfter)}`;
    case 'not-yet-valid':
      return `is not valid until ${certificateDate(certificate.notBefore)}`;
    case 'self-signed':
      return 'is self-signed and not trusted';
    case 'unknown-issuer':
      return 'is not signed by a trusted authority';
    case 'invalid':
      return 'cannot be verified';
  }
}

/** "the certificate of chat.example.com is for other.example.com (issued by CN=…, SHA-256 fingerprint AB:…)" */
export function certificateFailureWords(certificate: CertificateView): string {
  const problems = certificate.problems.map((problem) => problemWords(problem, certificate)).join(' and ');
  return `the certificate of ${certificate.expectedName} ${problems} (issued by ${certificate.issuer}, SHA-256 fingerprint ${certificate.fingerprint256})`;
}

/** The certificate's details as label and value, in the order a help desk reads them. */
export function certificateDetails(certificate: CertificateView): [label: string, value: string][] {
  return [
    ['Issued to', certificate.subject],
    ['Valid for', certificate.names.join(', ')],
    ['Issued by', certificate.issuer],
    ['Valid from', certificateDate(certificate.notBefore)],
    ['Valid until', certificateDate(certificate.notAfter)],
    ['SHA-256 fingerprint', certificate.fingerprint256],
  ];
}
