import { useId, useState } from 'react';
import type { TrustedCertificate } from '../../../electron/common/settings/schema.js';
import type { BurrowApi, SettingsView } from '../../../electron/contract/contract.js';
import { burrow } from '../api/burrow.js';
import { certificateDate } from '../../../electron/contract/certificate-words.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { LOCKED_NOTE } from './Field.js';

/**
 * The certificates the user trusted for this community, each removable at once: removing a trust
 * is never a change to hold back until Apply.
 */
export function TrustedCertificates({ communityId, view, api = burrow }: { communityId: string; view: SettingsView; api?: BurrowApi }) {
  const headingId = useId();
  // The form's view stays as it was while the user has unsaved edits: what was removed here is left out.
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const trusted = (view.settings.trustedCertificates[communityId] ?? []).filter(({ fingerprint256 }) => !removed.has(fingerprint256));

  const remove = async ({ fingerprint256 }: TrustedCertificate) => {
    setError(null);
    try {
      await api.invoke('certificates:forget', { communityId, fingerprint256 });
      setRemoved((current) => new Set([...current, fingerprint256]));
    } catch (reason) {
      setError(errorWords(reason));
    }
  };

  return (
    <section className="trusted-certificates" aria-labelledby={headingId}>
      <h3 id={headingId}>Trusted certificates</h3>
      {!view.certificateTrustAllowed && <p className="field-note">{LOCKED_NOTE}: certificates cannot be trusted here, and these are not used.</p>}
      {trusted.length === 0 ? (
        <p className="field-note">None. When a server’s certificate is refused, the connection’s details offer to trust it.</p>
      ) : (
        <ul aria-labelledby={headingId}>
          {trusted.map((certificate) => (
            <li key={certificate.fingerprint256}>
              <span>
                {certificate.subject} for {certificate.expectedName}, valid until {certificateDate(certificate.notAfter)}, trusted {certificateDate(certificate.trustedAt)}
              </span>
              <code className="fingerprint">{certificate.fingerprint256}</code>
              <button type="button" aria-label={`Remove trust in the certificate ${certificate.fingerprint256}`} onClick={() => void remove(certificate)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
