import { useEffect, useState } from 'react';
import { causeAdvice, causeWords, reconnectingWords, remedyWords } from '../../../electron/contract/account-words.js';
import { attemptCauseWords, pathLine, pathWords } from '../../../electron/contract/attempt-words.js';
import {
  isTrying,
  onlinePath,
  type AccountCause,
  type AccountLifecycle,
  type AccountView,
  type AttemptView,
  type BurrowApi,
  type PreferencesField,
} from '../../../electron/contract/contract.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { CertificateDetails } from '../certificates/CertificateDetails.js';
import { TrustCertificate } from '../certificates/TrustCertificate.js';
import { AdviceList } from '../diagnostics/AdviceList.js';
import { Waterfall } from '../diagnostics/Waterfall.js';
import { ConnectionTest, outcomeWords } from '../preferences/ConnectionTest.js';
import { ModalDialog } from '../shell/ModalDialog.js';

type Reconnecting = Extract<AccountLifecycle, { state: 'reconnecting' }>;

/** Mounted afresh for each retry, so it never starts from a stale clock. */
function Countdown({ lifecycle }: { lifecycle: Reconnecting }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <>{reconnectingWords(lifecycle, now)}</>;
}

/** The banner's first line: the state in a few words (reconnecting counts down; see Countdown). */
export function statusHeadline(lifecycle: Exclude<AccountLifecycle, Reconnecting>): string {
  switch (lifecycle.state) {
    case 'not-configured':
      return 'Not set up yet';
    case 'offline':
      return 'Offline';
    case 'connecting':
      return lifecycle.step === 'signing-in' ? 'Signing in…' : 'Connecting…';
    case 'online':
      return `Connected · ${pathWords(lifecycle.path)}`;
    case 'failed':
      return 'Not connected';
  }
}

function Attempts({ attempts }: { attempts: AttemptView[] }) {
  if (attempts.length === 0) return null;
  return (
    <ol className="status-attempts" aria-label="Connection attempts" aria-live="off">
      {attempts.map((attempt) => (
        <li key={attempt.attempt} className={`status-attempt attempt-${attempt.outcome}`} title={pathLine(attempt.path)}>
          <span className="status-attempt-path">{pathWords(attempt.path)}</span>
          <span className="status-attempt-outcome">
            {attempt.excluded && attempt.outcome === 'not-started' ? 'not tried: unencrypted' : outcomeWords[attempt.outcome]}
            {attempt.cause ? ` · ${attemptCauseWords(attempt.cause)}` : ''}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** Why the account is not online, and what can be done, with links to the fields of Preferences. */
function Cause({ cause, communityId, api, onShowField }: { cause: AccountCause; communityId: string; api: BurrowApi; onShowField: (field: PreferencesField) => void }) {
  return (
    <div className="status-diagnosis">
      <p>{causeWords(cause)}</p>
      {cause.kind === 'certificate' && cause.certificate && (
        <>
          <CertificateDetails certificate={cause.certificate} />
          <TrustCertificate communityId={communityId} certificate={cause.certificate} api={api} />
        </>
      )}
      <AdviceList advice={causeAdvice(cause)} onShowField={onShowField} />
    </div>
  );
}

/** The last race's attempts as a picture, in a dialog wide enough to read it: the banner is narrow. */
function AttemptsPicture({ attempts, community }: { attempts: AttemptView[]; community: string }) {
  const [open, setOpen] = useState(false);
  if (attempts.length === 0) return null;
  return (
    <>
      <button type="button" className="link-button status-details" onClick={() => setOpen(true)}>
        Show the attempts as a picture
      </button>
      {open && (
        <ModalDialog title={`Connection attempts · ${community}`} className="waterfall-dialog" onClose={() => setOpen(false)}>
          <Waterfall attempts={attempts} nowMs={Math.max(0, ...attempts.map((attempt) => attempt.endedAtMs ?? attempt.startedAtMs ?? 0))} />
        </ModalDialog>
      )}
    </>
  );
}


/**
 * One community's connection, always in view, drawn from its lifecycle alone: connecting (with
 * its attempts as they happen), connected (and by which path), reconnecting (a countdown, why,
 * and Retry now) or failed (why, what to do, Preferences and Test connection).
 */
export function StatusBanner({ account, api }: { account: AccountView; api: BurrowApi }) {
  const [error, setError] = useState<string | null>(null);
  const { communityId, lifecycle } = account;

  const connect = () => {
    setError(null);
    api.invoke('account:connect', { communityId }).catch((reason: unknown) => setError(`Could not connect: ${errorWords(reason)}`));
  };
  const openPreferences = (field?: PreferencesField) =>
    void (field ? api.invoke('window:openPreferences', { communityId, field }) : api.invoke('window:openPreferences')).catch((reason: unknown) =>
      setError(errorWords(reason)),
    );
  const trying = isTrying(lifecycle);

  return (
    <section className={`status-banner status-${lifecycle.state}`} role="status" aria-label={account.displayName}>
      <p className="status-line">
        <span className="status-community">{account.displayName}</span>{' '}
        {/* The countdown changes every second: announce the state, not each tick. */}
        <span
          className="status-headline"
          aria-live={lifecycle.state === 'reconnecting' ? 'off' : undefined}
          title={onlinePath(lifecycle) ?? undefined}
        >
          {lifecycle.state === 'reconnecting' ? <Countdown key={retryKey(lifecycle)} lifecycle={lifecycle} /> : statusHeadline(lifecycle)}
        </span>
      </p>

      {lifecycle.state === 'not-configured' && (
        <>
          <p className="status-note">Add your user name and password in Preferences to sign in.</p>
          <div className="status-actions">
            <button type="button" onClick={() => openPreferences()}>
              Open Preferences
            </button>
          </div>
        </>
      )}

      {lifecycle.state === 'offline' && (
        <div className="status-actions">
          <button type="button" onClick={connect}>
            Connect
          </button>
        </div>
      )}

      {lifecycle.state === 'online' && (
        <p className="status-note">
          {account.jid && <span>{account.jid}</span>}
          <span> · in {Math.round(lifecycle.connectMs)} ms</span>
          {lifecycle.resumed && <span> · session resumed</span>}
          {account.catchingUp && <span> · catching up on what came while away: {account.catchingUp.fetched} messages so far</span>}
        </p>
      )}

      {lifecycle.state === 'reconnecting' && (
        <>
          <Cause cause={lifecycle.cause} communityId={communityId} api={api} onShowField={openPreferences} />
          {lifecycle.failures > 1 && <p className="status-note">{lifecycle.failures} tries in a row have failed; each waits longer.</p>}
          <div className="status-actions">
            <button type="button" onClick={connect}>
              Retry now
            </button>
          </div>
        </>
      )}

      {trying && <Attempts attempts={account.attempts} />}
      {lifecycle.state !== 'online' && <AttemptsPicture attempts={account.attempts} community={account.displayName} />}

      {lifecycle.state === 'failed' && (
        <>
          <Cause cause={lifecycle.cause} communityId={communityId} api={api} onShowField={openPreferences} />
          {causeAdvice(lifecycle.cause).length === 0 && (
            <p className="status-remedy">
              <strong>What to do:</strong> {remedyWords[lifecycle.remedy]}
            </p>
          )}
          <div className="status-actions">
            <button type="button" onClick={() => openPreferences()}>
              Open Preferences
            </button>
            <button type="button" onClick={connect}>
              Try again
            </button>
          </div>
          <ConnectionTest api={api} communityId={communityId} community={account.displayName} saved unsavedChanges={false} onShowField={openPreferences} />
        </>
      )}

      {error && (
        <p className="status-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** A new countdown for each wait, and one "Reconnecting…" while a try runs. */
function retryKey(lifecycle: Reconnecting): string {
  return lifecycle.next.step === 'waiting' ? String(lifecycle.next.retryAt) : lifecycle.next.step;
}
