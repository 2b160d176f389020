import { useEffect, useRef, useState } from 'react';
import type { AttemptView, BurrowApi, ConnectionTestResult, PreferencesField } from '../../../electron/contract/contract.js';
import { attemptCauseWords, pathLine } from '../../../electron/contract/attempt-words.js';
import { testAdvice, testVerdict } from '../../../electron/contract/connection-report.js';
import type { SignInBar } from '../../../electron/contract/waterfall.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { burrow } from '../api/burrow.js';
import { CertificateDetails } from '../certificates/CertificateDetails.js';
import { TrustCertificate } from '../certificates/TrustCertificate.js';
import { AdviceList } from '../diagnostics/AdviceList.js';
import { ReportActions } from '../diagnostics/ReportActions.js';
import { Waterfall } from '../diagnostics/Waterfall.js';

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
  return endedAtMs === undefined ? `from ${Math.round(startedAtMs)} ms` : `${Math.round(startedAtMs)}–${Math.round(endedAtMs)} ms`;
}

function upsert(attempts: AttemptView[], attempt: AttemptView): AttemptView[] {
  const others = attempts.filter((known) => known.attempt !== attempt.attempt);
  return [...others, attempt].sort((a, b) => a.attempt - b.attempt);
}

function signInBar({ signIn }: ConnectionTestResult): SignInBar | undefined {
  return signIn.status === 'skipped' ? undefined : { endedAtMs: signIn.endedAtMs, signedIn: signIn.status === 'signed-in' };
}

/** Runs the race for a saved community and shows every attempt as it happens, then the winner or the diagnosis. */
export function ConnectionTest({
  communityId,
  community,
  saved,
  unsavedChanges,
  onShowField,
  api = burrow,
}: {
  communityId: string;
  /** Its display name, for the report. */
  community: string;
  saved: boolean;
  unsavedChanges: boolean;
  /** Shows a field of Preferences that advice points to. */
  onShowField?: (field: PreferencesField) => void;
  /** The chat window's status banner passes its own, so its tests can pass a fake. */
  api?: BurrowApi;
}) {
  const [running, setRunning] = useState(false);
  const [attempts, setAttempts] = useState<AttemptView[]>([]);
  const [nowMs, setNowMs] = useState(0);
  const [result, setResult] = useState<ConnectionTestResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const resultRef = useRef<HTMLDivElement>(null);

  // Below the attempts the verdict would be out of sight: bring it into view as it arrives.
  useEffect(() => {
    if (result) resultRef.current?.scrollIntoView({ block: 'nearest' });
  }, [result]);

  useEffect(
    () =>
      api.on('connection:testProgress', (progress) => {
        if (progress.communityId !== communityId) return;
        setAttempts((current) => upsert(current, progress.attempt));
        setNowMs((current) => Math.max(current, progress.atMs));
      }),
    [api, communityId],
  );

  const run = async () => {
    setRunning(true);
    setAttempts([]);
    setNowMs(0);
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
  // The refused certificate, shown once: the diagnosis carries it.
  const obstacle = result?.diagnosis.obstacle;
  const certificate = obstacle?.kind === 'certificate' ? obstacle.certificate : undefined;
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
      {result && (
        <div ref={resultRef} className={`banner verdict ${result.connected && result.signIn.status !== 'failed' ? 'banner-info' : 'banner-error'}`} role="status" aria-label="Verdict">
          <p className="verdict-sentence">{testVerdict(result)}</p>
          <AdviceList advice={testAdvice(result)} onShowField={onShowField} />
          {certificate && (
            <>
              <CertificateDetails certificate={certificate} />
              <TrustCertificate communityId={communityId} certificate={certificate} api={api} />
            </>
          )}
          <ReportActions result={result} community={community} api={api} />
        </div>
      )}
      <Waterfall attempts={attempts} signIn={result ? signInBar(result) : undefined} nowMs={result ? result.elapsedMs : nowMs} />
      {(attempts.length > 0 || running) && (
        <ol className="attempt-timeline" role="log" aria-label="Connection attempts">
          {attempts.map((attempt) => (
            <li key={attempt.attempt} className={`attempt attempt-${attempt.outcome}`}>
              <span className="attempt-path">{pathLine(attempt.path)}</span>
              <span className="attempt-outcome">
                {attempt.excluded && attempt.outcome === 'not-started' ? 'not tried: unencrypted' : outcomeWords[attempt.outcome]} {attemptTiming(attempt)}
              </span>
              {attempt.cause && <span className="attempt-cause">{attemptCauseWords(attempt.cause)}</span>}
            </li>
          ))}
        </ol>
      )}
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
