import { useEffect, useState } from 'react';
import type { AccountView, AttemptView, BurrowApi } from '../../../electron/contract/contract.js';
import { ConnectionTest, outcomeWords } from '../preferences/ConnectionTest.js';
import { pathWords } from './pathWords.js';

/** "Reconnecting in 12 s", counting down to `retryAt`. */
export function reconnectingWords(retryAt: number | null, now: number): string {
  const seconds = retryAt === null ? 0 : Math.ceil((retryAt - now) / 1000);
  return seconds > 0 ? `Reconnecting in ${seconds} s` : 'Reconnecting…';
}

/** Mounted afresh for each retryAt, so it never starts from a stale clock. */
function Countdown({ retryAt }: { retryAt: number | null }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return <>{reconnectingWords(retryAt, now)}</>;
}

/** The banner's first line: the state in a few words (reconnecting counts down; see Countdown). */
export function statusHeadline(account: AccountView): string {
  switch (account.state) {
    case 'not-configured':
      return 'Not set up yet';
    case 'offline':
      return 'Offline';
    case 'connecting':
      // A race after a lost connection or a failed try still carries why: that is reconnecting.
      return account.diagnosis ? 'Reconnecting…' : 'Connecting…';
    case 'connected':
      return account.path ? `Connected · ${pathWords(account.path)}` : 'Connected';
    case 'reconnecting':
      return 'Reconnecting…';
    case 'failed':
      return 'Not connected';
  }
}

function Attempts({ attempts }: { attempts: AttemptView[] }) {
  if (attempts.length === 0) return null;
  return (
    <ol className="status-attempts" aria-label="Connection attempts" aria-live="off">
      {attempts.map((attempt) => (
        <li key={attempt.attempt} className={`status-attempt attempt-${attempt.outcome}`} title={attempt.path}>
          <span className="status-attempt-path">{pathWords(attempt.path)}</span>
          <span className="status-attempt-outcome">
            {attempt.excluded && attempt.outcome === 'not-started' ? 'not tried: unencrypted' : outcomeWords[attempt.outcome]}
            {attempt.cause ? ` · ${attempt.cause}` : ''}
          </span>
        </li>
      ))}
    </ol>
  );
}

function Diagnosis({ diagnosis }: { diagnosis: AccountView['diagnosis'] }) {
  if (!diagnosis) return null;
  return (
    <div className="status-diagnosis">
      <p>{diagnosis.summary}</p>
      {diagnosis.hints.length > 0 && (
        <ul aria-label="What to try">
          {diagnosis.hints.map((hint) => (
            <li key={hint}>{hint}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * One community's connection, always in view: connecting (with its attempts as they happen),
 * connected (and by which path), reconnecting (with a countdown and Retry now) or failed (with
 * the diagnosis, Preferences and Test connection).
 */
export function StatusBanner({ account, api }: { account: AccountView; api: BurrowApi }) {
  const [error, setError] = useState<string | null>(null);
  const { communityId } = account;

  const connect = () => {
    setError(null);
    api.invoke('account:connect', { communityId }).catch((reason: unknown) => setError(`Could not connect: ${errorText(reason)}`));
  };
  const openPreferences = () => void api.invoke('window:openPreferences').catch((reason: unknown) => setError(errorText(reason)));

  return (
    <section className={`status-banner status-${account.state}`} role="status" aria-label={account.displayName}>
      <p className="status-line">
        <span className="status-community">{account.displayName}</span>{' '}
        {/* The countdown changes every second: announce the state, not each tick. */}
        <span className="status-headline" aria-live={account.state === 'reconnecting' ? 'off' : undefined} title={account.path ?? undefined}>
          {account.state === 'reconnecting' ? <Countdown key={account.retryAt} retryAt={account.retryAt} /> : statusHeadline(account)}
        </span>
      </p>

      {account.state === 'not-configured' && (
        <>
          <p className="status-note">Add your user name and password in Preferences to sign in.</p>
          <div className="status-actions">
            <button type="button" onClick={openPreferences}>
              Open Preferences
            </button>
          </div>
        </>
      )}

      {account.state === 'offline' && (
        <div className="status-actions">
          <button type="button" onClick={connect}>
            Connect
          </button>
        </div>
      )}

      {account.state === 'connecting' && (
        <>
          <Diagnosis diagnosis={account.diagnosis} />
          <Attempts attempts={account.attempts} />
        </>
      )}

      {account.state === 'connected' && (
        <p className="status-note">
          {account.jid && <span>{account.jid}</span>}
          {account.connectMs !== null && <span> · in {Math.round(account.connectMs)} ms</span>}
          {account.resumed && <span> · session resumed</span>}
        </p>
      )}

      {account.state === 'reconnecting' && (
        <>
          <Diagnosis diagnosis={account.diagnosis} />
          <div className="status-actions">
            <button type="button" onClick={connect}>
              Retry now
            </button>
          </div>
        </>
      )}

      {account.state === 'failed' && (
        <>
          <Diagnosis diagnosis={account.diagnosis} />
          <div className="status-actions">
            <button type="button" onClick={openPreferences}>
              Open Preferences
            </button>
            <button type="button" onClick={connect}>
              Try again
            </button>
          </div>
          <ConnectionTest api={api} communityId={communityId} saved unsavedChanges={false} />
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
