/**
 * For the connection manager's lab tests: connecting the way a user would, from corp (the client's
 * namespace), with the real connection manager — `diagnose-cli.js --json` run there — and the lab's
 * report of what happened, reports/lab-matrix.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { attemptCauseWords } from '../../../contract/attempt-words.js';
import { errorWords } from '../../../contract/error-words.js';
import { squidFolders, type Account, type Lab, type LabSquid, type Scenario } from '../../../../lab/lab.js';
import { repoRoot } from '../../../../lab/paths.js';
import type { DiagnoseReport } from '../diagnose-cli.js';
import type { ConnectionMethod } from '../plan.js';
import type { AttemptRecord } from '../race.js';

export type { DiagnoseReport } from '../diagnose-cli.js';

export interface LabConnection {
  /** What the user typed as the community's address; the lab's domain when not given. */
  address?: string;
  method?: ConnectionMethod;
  /** A proxy URL, credentials included: "http://user:password@proxy.lab.test:3128". */
  proxy?: string;
  /** "Use my system proxy settings" from this PAC file. */
  pac?: string;
  allowUnencrypted?: boolean;
  deadlineMs?: number;
  /**
   * "Trust this certificate", confirmed: the SHA-256 fingerprint of a certificate to accept for
   * this community although no CA vouches for it (S17). diagnose-cli learns the flag with the
   * certificate trust (branch cert).
   */
  trustCertificate?: string;
}

const diagnoseCli = join(repoRoot, 'dist', 'electron', 'core', 'connection', 'diagnose-cli.js');
/** Beyond the connection's own deadline: Node's start, signing in, and a margin. */
const processAllowanceMs = 15_000;
const defaultDeadlineMs = 20_000;

/** Connects `account` (the lab's first by default) from corp, trusting the lab's CA as an additional CA. */
export async function connectFromCorp(lab: Lab, connection: LabConnection, account: Account = firstAccount(lab)): Promise<DiagnoseReport> {
  const { address = lab.domain, method, proxy, pac, allowUnencrypted = false, deadlineMs, trustCertificate } = connection;
  const args = [
    diagnoseCli,
    address,
    '--json',
    ...['--ca', lab.caFile],
    ...['--user', account.username, '--password', account.password],
    ...(method ? ['--method', method] : []),
    ...(proxy ? ['--proxy', proxy] : []),
    ...(pac ? ['--pac', pac] : []),
    ...(allowUnencrypted ? ['--allow-unencrypted'] : []),
    ...(deadlineMs ? ['--deadline', String(deadlineMs)] : []),
    ...(trustCertificate ? ['--trust-certificate', trustCertificate] : []),
  ];
  const result = await lab.execInClient(process.execPath, args, (deadlineMs ?? defaultDeadlineMs) + processAllowanceMs);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  if (!line.startsWith('{')) throw new Error(`diagnose printed no report (exit ${result.code}): ${result.stderr}`);
  return JSON.parse(line) as DiagnoseReport;
}

function firstAccount(lab: Lab): Account {
  const [account] = lab.accounts;
  if (!account) throw new Error('the lab has no accounts');
  return account;
}

/**
 * A squid's log of every request it handled, as lines; `since` a count taken earlier. The lab's first
 * squid (`main`) serves all its plain HTTP proxies; S15's and S15N's have their own.
 */
export function proxyLog(lab: Lab, since = 0, squid: LabSquid = 'main'): string[] {
  try {
    return readFileSync(join(lab.dir, squidFolders[squid], 'access.log'), 'utf8').split('\n').filter(Boolean).slice(since);
  } catch {
    return [];
  }
}

/** The scheme of the credentials a logged request carried ("Basic", "Negotiate", "NTLM"), or undefined for none. */
export function credentialsSent(line: string): string | undefined {
  const scheme = line.split(/\s+/).at(-1);
  return scheme === '-' ? undefined : scheme;
}

/** A login the proxy refused: a 407 to a request that carried credentials (one without them only learnt the scheme). */
export const isFailedLogin = (line: string): boolean => / TCP_DENIED\/407 /.test(line) && credentialsSent(line) !== undefined;

/** One timeline entry of the matrix: an attempt, with the case it belongs to when a row has several. */
export interface MatrixAttempt {
  case?: string;
  path: string;
  outcome: AttemptRecord['outcome'];
  startedAtMs?: number;
  /** When its XMPP stage (TLS, stream, features) began, where the race records it. */
  negotiatingAtMs?: number;
  endedAtMs?: number;
  cause?: string;
}

export interface MatrixRow {
  scenario: string;
  expected: string;
  outcome: string;
  pass: boolean;
  path: string | null;
  connectMs: number | null;
  attempts: MatrixAttempt[];
}

/** What happened, in one sentence. */
export function describeOutcome(report: DiagnoseReport): string {
  if (!report.connected || !report.winner) {
    return `not connected after ${report.connectMs} ms: ${report.verdict}`;
  }
  const signedIn =
    report.authenticated === true ? `, signed in as ${report.jid} with ${report.mechanism}` : report.authenticated === false ? `, sign-in failed: ${report.authenticationError}` : '';
  return `connected in ${report.connectMs} ms over ${report.winner.path}${signedIn}`;
}

/** The rows of reports/lab-matrix.json, one per scenario, gathered while the tests run. */
export class LabMatrix {
  readonly #rows: MatrixRow[] = [];

  /**
   * Runs a scenario's cases in order, each connecting and then checking what happened, and adds its
   * row (named `rowName`, e.g. "S14-ejabberd") — passing only when every check did. A failed check
   * still fails the test.
   */
  async record(
    scenario: Scenario,
    cases: readonly { name?: string; run: () => Promise<DiagnoseReport>; check: (report: DiagnoseReport) => void | Promise<void> }[],
    rowName: string = scenario.id,
  ): Promise<void> {
    const row: MatrixRow = { scenario: rowName, expected: scenario.expected, outcome: '', pass: false, path: null, connectMs: null, attempts: [] };
    const outcomes: string[] = [];
    this.#rows.push(row);
    try {
      for (const { name, run, check } of cases) {
        const report = await run();
        outcomes.push(`${name ? `${name}: ` : ''}${describeOutcome(report)}`);
        row.attempts.push(...report.attempts.filter((attempt) => attempt.outcome !== 'not-started').map((attempt) => matrixAttempt(attempt, name)));
        if (report.connected && row.path === null) {
          row.path = report.winner?.path ?? null;
          row.connectMs = report.connectMs;
        }
        row.outcome = outcomes.join('. ');
        await check(report);
      }
      row.pass = true;
    } catch (error) {
      outcomes.push(`check failed: ${errorWords(error).split('\n')[0]}`);
      throw error;
    } finally {
      row.outcome = outcomes.join('. ');
    }
  }

  /** Writes the rows gathered so far into the matrix; a partial run writes a partial set of rows. */
  write(file: string): void {
    writeMatrixRows(file, this.#rows);
  }
}

/**
 * Puts these rows into the matrix file in scenario order, replacing rows of the same scenario and
 * keeping the others: several test files (connecting, messaging) each write their own rows.
 */
export function writeMatrixRows(file: string, rows: readonly { scenario: string }[]): void {
  const replaced = new Set(rows.map((row) => row.scenario));
  const kept = readMatrixRows(file).filter((row) => !replaced.has(row.scenario));
  const number = (id: string) => Number(/^S(\d+)/.exec(id)?.[1] ?? Infinity);
  const all = [...kept, ...rows].toSorted((a, b) => number(a.scenario) - number(b.scenario) || a.scenario.localeCompare(b.scenario));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
}

function readMatrixRows(file: string): { scenario: string }[] {
  try {
    const rows: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(rows) ? rows.filter((row): row is { scenario: string } => typeof (row as { scenario?: unknown })?.scenario === 'string') : [];
  } catch {
    return [];
  }
}

function matrixAttempt(record: AttemptRecord, name: string | undefined): MatrixAttempt {
  return {
    ...(name ? { case: name } : {}),
    path: record.path,
    outcome: record.outcome,
    ...(record.startedAtMs === undefined ? {} : { startedAtMs: record.startedAtMs }),
    ...(record.negotiatingAtMs === undefined ? {} : { negotiatingAtMs: record.negotiatingAtMs }),
    ...(record.endedAtMs === undefined ? {} : { endedAtMs: record.endedAtMs }),
    ...(record.cause ? { cause: attemptCauseWords(record.cause) } : {}),
  };
}

export const labMatrixFile = join(repoRoot, 'reports', 'lab-matrix.json');
