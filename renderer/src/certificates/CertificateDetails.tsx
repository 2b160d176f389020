import type { CertificateView } from '../../../electron/contract/attempt-view.js';
import { certificateDetails } from '../../../electron/contract/certificate-words.js';

/** A refused server certificate's subject, issuer, dates and fingerprint, as a help desk reads them. */
export function CertificateDetails({ certificate }: { certificate: CertificateView }) {
  return (
    <dl className="certificate-details" aria-label={`Certificate presented for ${certificate.expectedName}`}>
      {certificateDetails(certificate).map(([label, value]) => (
        <div key={label} className="certificate-detail">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
