import { useEffect, useRef, useState } from 'react';
import type { AttemptView, BurrowApi, ConnectionTestResult } from '../../../electron/contract/contract.js';
import { causeWords } from '../../../electron/contract/account-words.js';
import { attemptCauseWords, pathLine } from '../../../electron/contract/attempt-words.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { burrow } from '../api/burrow.js';
import { CertificateDetails } from '../certificates/CertificateDetails.js';
import { TrustCertificate } from '../certificates/TrustCertificate.js';

export const outcomeWords: Record<AttemptView['outcome'], string> = {
  'not-started': 'not started',
  running: 'trying…',
  won: 'connected',
  failed: 'failed',
  cancelled: 'stopped: another path won',
  skipped: 'skipped',
  reachable: 'reachable, but unencrypted',
};

function attemptTiming({ startedAtMs, endedAtMs }: AttemptView): string {
  if (startedAtMs === undefined) return '';
  const start = `at ${Math.round(startedAtMs)} ms`;
  return endedAtMs === undefined ? start : `${start}, ${Math.round(endedAtMs - startedAtMs)} ms`;
}

function upsert(attempts: AttemptView[], attempt: AttemptView): AttemptView[] {
  const others = attempts.filter((known) => known.attempt !== attempt.attempt);
  return [...others, attempt].sort((a, b) => a.attempt - b.attempt);
}

function resultSummary(result: ConnectionTestResult): string {
  if (!result.connected) return `Not connected after ${Math.round(result.elapsedMs)} ms: ${result.diagnosis?.summary ?? 'every path failed'}`;
  const signIn =
    result.signIn.status === 'signed-in'
      ? ` · signed in as ${result.signIn.jid}`
      : result.signIn.status === 'failed'
        ? ` · sign-in failed: ${causeWords(result.signIn.cause)}`
        : ` · not signed in (${result.signIn.reason})`;
  return `Connected in ${Math.round(result.elapsedMs)} ms · ${result.path ? pathLine(result.path) : ''}${signIn}`;
}

/** Runs the race for a saved community and shows every attempt as it happens, then the winner or the diagnosis. */
export function ConnectionTest({
  communityId,
  saved,
  unsavedChanges,
  api = burrow,
}: {
  communityId: string;
  saved: boolean;
  unsavedChanges: boolean;
  /** The chat window's status banner passes its own, so its tests can pass a fake. */
  api?: BurrowApi;
}) {
  const [running, setRunning] = useState(false);
  const [attempts, setAttempts] = useState<AttemptView[]>([]);
  const [result, setResult] = useState<ConnectionTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);

  // Below a long timeline the verdict would be out of sight: bring it into view as it arrives.
  useEffect(() => {
    if (result) resultRef.current?.scrollIntoView({ block: 'nearest' });
  }, [result]);

  useEffect(
    () =>
      api.on('connection:testProgress', (progress) => {
        if (progress.communityId === communityId) setAttempts((current) => upsert(current, progress.attempt));
      }),
    [api, communityId],
  );

  const run = async () => {
    setRunning(true);
    setAttempts([]);
    setResult(null);
    setError(null);
    try {
      const finished = await api.invoke('connection:test', { communityId });
      setAttempts(finished.attempts);
      setResult(finished);
    } catch (reason) {
      setError(errorWords(reason));
    } finally {
      setRunning(false);
    }
  };

  const noteId = `connection-test-note-${communityId}`;
  return (
    <section className="connection-test" aria-label="Test connection">
      <div className="connection-test-bar">
        <button type="button" onClick={() => void run()} disabled={!saved || running} aria-describedby={noteId}>
          {running ? 'Testing…' : 'Test connection'}
        </button>
        <p id={noteId} className="field-note">
          {!saved ? 'Apply first: only saved communities can be tested.' : unsavedChanges ? 'Tests the saved settings; Apply to test your changes.' : 'Tries every path the way Burrow connects.'}
        </p>
      </div>
      {(attempts.length > 0 || running) && (
        <ol className="attempt-timeline" role="log" aria-label="Connection attempts">
          {attempts.map((attempt) => (
            <li key={attempt.attempt} className={`attempt attempt-${attempt.outcome}`}>
              <span className="attempt-path">{pathLine(attempt.path)}</span>
              <span className="attempt-outcome">
                {attempt.excluded && attempt.outcome === 'not-started' ? 'not tried: unencrypted' : outcomeWords[attempt.outcome]} {attemptTiming(attempt)}
              </span>
              {attempt.cause && <span className="attempt-cause">{attemptCauseWords(attempt.cause)}</span>}
              {attempt.cause?.kind === 'certificate' && attempt.cause.certificate && (
                <>
                  <CertificateDetails certificate={attempt.cause.certificate} />
                  <TrustCertificate communityId={communityId} certificate={attempt.cause.certificate} api={api} />
                </>
              )}
            </li>
          ))}
        </ol>
      )}
      {result && (
        <div ref={resultRef} className={`banner ${result.connected ? 'banner-info' : 'banner-error'}`} role="status">
          <p>{resultSummary(result)}</p>
          {result.diagnosis && result.diagnosis.hints.length > 0 && (
            <ul>
              {result.diagnosis.hints.map((hint) => (
                <li key={hint}>{hint}</li>
              ))}
            </ul>
          )}
        </div>
      )}
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
