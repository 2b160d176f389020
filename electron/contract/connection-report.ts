/**
 * A connection test as a report for a help desk: the verdict, the advice, the attempts and the
 * environment, without secrets (no passwords, no proxy user name), as JSON and as text.
 */
import { causeAdvice, causeWords } from './account-words.js';
import type { AttemptPath } from './attempt-path.js';
import type { AttemptView } from './attempt-view.js';
import { attemptCauseWords, formatHostPort, pathLine } from './attempt-words.js';
import type { AppInfo, ConnectionTestResult } from './contract.js';
import type { ConnectionFacts, Diagnosis } from './diagnosis.js';
import { adviceFor, adviserWords, connectedVerdict, failureVerdict, preferencesFieldWords, type Advice } from './diagnosis-words.js';
import { methodLabels, proxyTypeLabels } from './settings-words.js';

/** The verdict of a connection test in one sentence, sign-in included. */
export function testVerdict(result: ConnectionTestResult): string {
  if (!result.connected || !result.path) return failureVerdict(result.diagnosis);
  const connected = connectedVerdict(result.diagnosis, result.path);
  if (result.signIn.status === 'failed') return `${connected} Then signing in failed. ${causeWords(result.signIn.cause)}`;
  if (result.signIn.status === 'signed-in') return `${connected} Signed in as ${result.signIn.jid}.`;
  return connected;
}

/** What to do after a connection test: about signing in when that failed, else about what stood in the way. */
export function testAdvice(result: ConnectionTestResult): Advice[] {
  if (result.signIn.status === 'failed') return causeAdvice(result.signIn.cause);
  return result.diagnosis.obstacle ? adviceFor(result.diagnosis.obstacle, { connected: result.connected }) : [];
}

export interface ConnectionReport {
  report: 'burrow-connection-test';
  createdAt: string;
  community: string;
  burrow: Pick<AppInfo, 'version' | 'mode' | 'os' | 'runtime'>;
  settings: ConnectionFacts;
  verdict: string;
  advice: Advice[];
  connected: boolean;
  path: AttemptPath | null;
  elapsedMs: number;
  signIn: ConnectionTestResult['signIn'];
  diagnosis: Diagnosis;
  attempts: AttemptView[];
}

export function connectionReport(
  result: ConnectionTestResult,
  { info, community, createdAt }: { info: AppInfo; community: string; createdAt: Date },
): ConnectionReport {
  const { version, mode, os, runtime } = info;
  return {
    report: 'burrow-connection-test',
    createdAt: createdAt.toISOString(),
    community,
    burrow: { version, mode, os, runtime },
    settings: result.settings,
    verdict: testVerdict(result),
    advice: testAdvice(result),
    connected: result.connected,
    path: result.path,
    elapsedMs: result.elapsedMs,
    signIn: result.signIn,
    diagnosis: result.diagnosis,
    attempts: result.attempts,
  };
}

function settingsWords(settings: ConnectionFacts): string[] {
  const proxy = settings.proxy
    ? `${proxyTypeLabels[settings.proxy.type]} proxy ${formatHostPort(settings.proxy.host, settings.proxy.port)}${settings.proxy.login ? ', with a login' : ', no login'}`
    : settings.systemProxy
      ? `system proxy settings from ${settings.systemProxy === 'os' ? 'the operating system' : settings.systemProxy === 'pac' ? 'a PAC file' : 'the environment'}`
      : 'no proxy';
  return [
    `Address: ${settings.address}${settings.domain ? ` (XMPP domain ${settings.domain})` : ''}`,
    `Method: ${methodLabels[settings.method]}; ${proxy}`,
    `Unencrypted HTTP tunnelling: ${settings.allowUnencrypted ? 'allowed' : 'not allowed'}`,
    `Trust: ${settings.extraCas} additional CA${settings.extraCas === 1 ? '' : 's'}, ${settings.trustedCertificates} trusted certificate${settings.trustedCertificates === 1 ? '' : 's'}`,
  ];
}

function attemptLine(attempt: AttemptView): string {
  const times =
    attempt.startedAtMs === undefined ? 'not started' : `${Math.round(attempt.startedAtMs)}–${attempt.endedAtMs === undefined ? '…' : Math.round(attempt.endedAtMs)} ms`;
  const cause = attempt.cause ? `: ${attemptCauseWords(attempt.cause)}` : '';
  return `  ${String(attempt.attempt).padStart(2)}. ${pathLine(attempt.path)}\n      ${attempt.outcome}, ${times}${cause}`;
}

function adviceLine({ by, words, field }: Advice): string {
  return `  - ${adviserWords[by]}: ${words}${field ? ` (Preferences › ${preferencesFieldWords[field]})` : ''}`;
}

/** The report as plain text, for an email or a ticket. */
export function reportText(report: ConnectionReport): string {
  const { burrow } = report;
  return [
    `Burrow connection test — ${report.community} — ${report.createdAt}`,
    '',
    report.verdict,
    ...(report.advice.length > 0 ? ['', 'What to do:', ...report.advice.map(adviceLine)] : []),
    '',
    ...settingsWords(report.settings),
    `Burrow ${burrow.version} (${burrow.mode === 'browser' ? 'browser mode' : 'desktop app'}) on ${burrow.os}; ${burrow.runtime}`,
    '',
    'Attempts (ms since the race began):',
    ...report.attempts.map(attemptLine),
  ].join('\n');
}

/** "burrow-connection-test-2026-12-02T14-05-09Z.json" */
export function reportFileName(report: ConnectionReport): string {
  return `burrow-connection-test-${report.createdAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.json`;
}
