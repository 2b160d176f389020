import { useId, useState } from 'react';
import { mayBeTrusted, type BurrowApi, type CertificateView } from '../../../electron/contract/contract.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { useSettingsView } from '../chat/useSettingsView.js';
import { LOCKED_NOTE } from '../preferences/Field.js';

/**
 * "Trust this certificate…" for a refused certificate nobody vouches for: a confirmation that shows
 * its fingerprint, then core trusts exactly that certificate for this community. Nothing for a
 * certificate that must not be trusted (another name, outside its dates).
 */
export function TrustCertificate({ communityId, certificate, api }: { communityId: string; certificate: CertificateView; api: BurrowApi }) {
  if (!mayBeTrusted(certificate)) return null;
  return <TrustOffer communityId={communityId} certificate={certificate} api={api} />;
}

function TrustOffer({ communityId, certificate, api }: { communityId: string; certificate: CertificateView; api: BurrowApi }) {
  const settings = useSettingsView(api);
  const [confirming, setConfirming] = useState(false);
  const [trusted, setTrusted] = useState(false);
  if (settings.status === 'ready' && !settings.view.certificateTrustAllowed) {
    return <p className="field-note">{LOCKED_NOTE}: certificates cannot be trusted here.</p>;
  }
  if (trusted) return <p role="status">Trusted. Burrow accepts this certificate for this community from now on.</p>;
  return (
    <>
      <button type="button" onClick={() => setConfirming(true)}>
        Trust this certificate…
      </button>
      {confirming && (
        <TrustConfirmation
          communityId={communityId}
          certificate={certificate}
          api={api}
          onTrusted={() => setTrusted(true)}
          onClose={() => setConfirming(false)}
        />
      )}
    </>
  );
}

function TrustConfirmation({
  communityId,
  certificate,
  api,
  onTrusted,
  onClose,
}: {
  communityId: string;
  certificate: CertificateView;
  api: BurrowApi;
  onTrusted: () => void;
  onClose: () => void;
}) {
  const id = useId();
  const [checked, setChecked] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setError(null);
    try {
      await api.invoke('certificates:trust', { communityId, fingerprint256: certificate.fingerprint256 });
      onTrusted();
      onClose();
    } catch (reason) {
      setError(errorWords(reason));
    }
  };
  return (
    <div
      className="dialog trust-dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-why`}
      onKeyDown={(event) => {
        // Escape cancels this confirmation, not the window around it.
        if (event.key !== 'Escape') return;
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id={`${id}-title`}>Trust this certificate?</h2>
      <p id={`${id}-why`}>
        Nobody Burrow trusts vouches for the certificate {certificate.expectedName} presented. Trust it only if its fingerprint is the one your
        server’s administrator gave you: anyone in the network’s path could present a certificate of their own.
      </p>
      <p>
        <span id={`${id}-fingerprint-label`}>SHA-256 fingerprint</span>
        <code className="fingerprint" aria-labelledby={`${id}-fingerprint-label`}>
          {certificate.fingerprint256}
        </code>
      </p>
      <label className="field-inline">
        <input type="checkbox" checked={checked} onChange={(event) => setChecked(event.target.checked)} />
        This fingerprint is the one my administrator gave me
      </label>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-buttons">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" disabled={!checked} onClick={() => void confirm()}>
          Trust this certificate
        </button>
      </div>
    </div>
  );
}
