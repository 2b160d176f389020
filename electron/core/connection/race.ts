/**
 * Happy-Eyeballs race over the planned candidates (RFC 8305 style, DESIGN.md "The plan and the race"),
 * and the ancestors' sequential strategy as a baseline.
 *
 * An attempt resolves once the server's stream features have arrived, before any authentication;
 * the first one to do so over an acceptable channel wins and every other attempt is cancelled, so
 * no duplicate session is ever authenticated.
 */
import { formatHostPort } from './address.js';
import { describeCandidate, withoutSecrets } from './candidate.js';
import type { Candidate } from './candidate.js';
import { describeFailure } from './causes.js';
import type { Cause } from './causes.js';
import { NoAnswerError } from './errors.js';
import type { Plan } from './plan.js';

/** A path that carries XMPP: stream features arrived. Closed by the race if it loses. */
export interface EstablishedPath {
  readonly secure: boolean;
  close(): void;
}

/** Connects one candidate up to the stream features; rejects (and cleans up) when `signal` aborts. */
export type Attempt<T extends EstablishedPath> = (candidate: Candidate, signal: AbortSignal) => Promise<T>;

export type Strategy =
  | { kind: 'race'; attemptDelayMs: number }
  /** One attempt at a time, each waiting out its timeout: the baseline the race is measured against. */
  | { kind: 'sequential'; attemptTimeoutMs: number };

export interface RaceOptions {
  /** The XMPP domain, which certificates are checked against, for the causes. */
  serverName?: string;
  strategy?: Strategy;
  deadlineMs?: number;
  allowUnencrypted: boolean;
  onEvent?: (event: AttemptEvent) => void;
}

export const defaultStrategy: Strategy = { kind: 'race', attemptDelayMs: 250 };
export const defaultDeadlineMs = 20_000;

export type AttemptOutcome = 'not-started' | 'running' | 'won' | 'failed' | 'cancelled' | 'skipped' | 'reachable';

export interface AttemptRecord {
  attempt: number;
  /** Without secrets: records are shown, logged and remembered. */
  candidate: Candidate;
  /** Human-readable path, e.g. "BOSH https://chat.lab.test:443/http-bind via direct". */
  path: string;
  /** Left out of the plan (unencrypted and not allowed); only probed, to explain a failure. */
  excluded: boolean;
  startedAtMs?: number;
  endedAtMs?: number;
  outcome: AttemptOutcome;
  cause?: Cause;
}

export interface AttemptEvent {
  type: 'started' | 'overtaken' | 'won' | 'failed' | 'cancelled' | 'skipped' | 'reachable';
  /** Milliseconds since the race started. */
  atMs: number;
  record: AttemptRecord;
}

export interface Diagnosis {
  summary: string;
  hints: string[];
}

export type RaceResult<T> =
  | { connected: true; connection: T; winner: AttemptRecord; attempts: AttemptRecord[]; elapsedMs: number }
  | { connected: false; attempts: AttemptRecord[]; elapsedMs: number; diagnosis: Diagnosis };

export function raceCandidates<T extends EstablishedPath>(
  plan: Plan,
  attempt: Attempt<T>,
  options: RaceOptions,
): Promise<RaceResult<T>> {
  return new Race(plan, attempt, options).run();
}

class Race<T extends EstablishedPath> {
  readonly #attempt: Attempt<T>;
  readonly #strategy: Strategy;
  readonly #deadlineMs: number;
  readonly #allowUnencrypted: boolean;
  readonly #serverName: string | undefined;
  readonly #onEvent: (event: AttemptEvent) => void;
  readonly #records: AttemptRecord[];
  /** The candidates with their credentials, for the attempts themselves. */
  readonly #candidates = new Map<AttemptRecord, Candidate>();
  readonly #controllers = new Map<AttemptRecord, AbortController>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #startedAt = Date.now();
  #nextTimer: NodeJS.Timeout | undefined;
  #certificateFailed = false;
  #finished = false;
  #finish: (result: RaceResult<T>) => void = () => {};

  constructor(plan: Plan, attempt: Attempt<T>, options: RaceOptions) {
    this.#attempt = attempt;
    this.#strategy = options.strategy ?? defaultStrategy;
    this.#deadlineMs = options.deadlineMs ?? defaultDeadlineMs;
    this.#allowUnencrypted = options.allowUnencrypted;
    this.#serverName = options.serverName;
    this.#onEvent = options.onEvent ?? (() => {});
    const record = (candidate: Candidate, attempt: number, excluded: boolean): AttemptRecord => {
      const created: AttemptRecord = {
        attempt,
        candidate: withoutSecrets(candidate),
        path: describeCandidate(candidate),
        excluded,
        outcome: 'not-started',
      };
      this.#candidates.set(created, candidate);
      return created;
    };
    this.#records = [
      ...plan.candidates.map((candidate, index) => record(candidate, index, false)),
      ...plan.excluded.map(({ candidate }, index) => record(candidate, plan.candidates.length + index, true)),
    ];
  }

  run(): Promise<RaceResult<T>> {
    return new Promise((resolve) => {
      this.#finish = resolve;
      this.#after(this.#deadlineMs, () => this.#onDeadline());
      this.#startNext();
    });
  }

  /** Starts the next planned path, or once none is left, probes the excluded ones. */
  #startNext(): void {
    if (this.#finished) return;
    this.#cancelNextTimer();
    this.#skipUnsafeAfterCertificateFailure();
    const record = this.#nextPlanned();
    if (!record) {
      this.#startProbes();
      return;
    }
    this.#start(record);
    if (this.#strategy.kind === 'race') {
      const { attemptDelayMs } = this.#strategy;
      this.#nextTimer = this.#after(attemptDelayMs, () => {
        if (record.outcome === 'running' && this.#nextPlanned()) {
          record.cause = this.#noAnswer(record, attemptDelayMs, true);
          this.#emit('overtaken', record);
        }
        this.#startNext();
      });
    } else {
      const { attemptTimeoutMs } = this.#strategy;
      this.#nextTimer = this.#after(attemptTimeoutMs, () => {
        this.#end(record, 'failed', this.#noAnswer(record, attemptTimeoutMs, this.#nextPlanned() !== undefined));
        this.#startNext();
      });
    }
  }

  #nextPlanned(): AttemptRecord | undefined {
    return this.#records.find((record) => !record.excluded && record.outcome === 'not-started');
  }

  /** A certificate failure is never "fixed" by a weaker path. */
  #skipUnsafeAfterCertificateFailure(): void {
    if (!this.#certificateFailed) return;
    for (const record of this.#records) {
      if (record.excluded || record.outcome !== 'not-started' || record.candidate.endpoint.secure) continue;
      record.outcome = 'skipped';
      record.cause = {
        kind: 'cancelled',
        text: "not tried: the server's certificate failed verification, and an unencrypted path would not be safer",
      };
      this.#emit('skipped', record);
    }
  }

  /** Unencrypted paths left out of the plan are connected up to their stream features, never further,
   *  so that a failure can say whether they would have worked. */
  #startProbes(): void {
    // After a certificate failure, a hint towards unencrypted paths would be the wrong advice.
    if (this.#certificateFailed) {
      this.#concludeIfNothingRuns();
      return;
    }
    for (const record of this.#records) {
      if (record.excluded && record.outcome === 'not-started') this.#start(record);
    }
    this.#concludeIfNothingRuns();
  }

  #start(record: AttemptRecord): void {
    const controller = new AbortController();
    this.#controllers.set(record, controller);
    record.startedAtMs = this.#elapsed();
    record.outcome = 'running';
    this.#emit('started', record);
    const candidate = this.#candidates.get(record) ?? record.candidate;
    new Promise<T>((resolve) => resolve(this.#attempt(candidate, controller.signal))).then(
      (connection) => this.#onEstablished(record, connection),
      (error: unknown) => this.#onFailed(record, this.#describe(record, error)),
    );
  }

  #onEstablished(record: AttemptRecord, connection: T): void {
    if (this.#finished || record.outcome !== 'running') {
      connection.close();
      return;
    }
    if (record.excluded) {
      connection.close();
      this.#end(record, 'reachable');
      this.#concludeIfNothingRuns();
      return;
    }
    if (!connection.secure && !this.#allowUnencrypted) {
      connection.close();
      this.#onFailed(record, { kind: 'other', text: `${record.path} carried XMPP only without encryption, which is not allowed` });
      return;
    }
    this.#end(record, 'won');
    this.#conclude({ connected: true, connection, winner: record, attempts: this.#records, elapsedMs: this.#elapsed() });
  }

  #onFailed(record: AttemptRecord, cause: Cause): void {
    if (this.#finished || record.outcome !== 'running') return;
    if (cause.kind === 'certificate') this.#certificateFailed = true;
    this.#end(record, 'failed', cause);
    if (record.excluded) this.#concludeIfNothingRuns();
    else this.#startNext(); // at once: a refusal costs no waiting
  }

  #concludeIfNothingRuns(): void {
    if (this.#records.some((record) => record.outcome === 'running')) return;
    this.#conclude({ connected: false, attempts: this.#records, elapsedMs: this.#elapsed(), diagnosis: this.#diagnose() });
  }

  #onDeadline(): void {
    for (const record of this.#records) {
      if (record.outcome === 'running') {
        this.#end(record, 'failed', this.#noAnswer(record, this.#elapsed() - (record.startedAtMs ?? 0), false));
      }
    }
    this.#concludeIfNothingRuns();
  }

  #end(record: AttemptRecord, outcome: 'won' | 'failed' | 'cancelled' | 'reachable', cause?: Cause): void {
    record.outcome = outcome;
    record.endedAtMs = this.#elapsed();
    if (cause) record.cause = cause;
    const controller = this.#controllers.get(record);
    this.#controllers.delete(record);
    if (outcome === 'failed' || outcome === 'cancelled') controller?.abort();
    this.#emit(outcome, record);
  }

  #conclude(result: RaceResult<T>): void {
    if (this.#finished) return;
    this.#finished = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const record of this.#records) {
      if (record.outcome === 'running') {
        this.#end(record, 'cancelled', record.cause ?? { kind: 'cancelled', text: 'cancelled: another path won' });
      }
    }
    this.#finish(result);
  }

  #diagnose(): Diagnosis {
    const planned = this.#records.filter((record) => !record.excluded);
    const host = this.#records[0]?.candidate.endpoint.host ?? 'the server';
    const summary =
      planned.length === 0
        ? `no allowed path to ${host}`
        : `could not connect to ${host}: ${planned.length} path${planned.length === 1 ? '' : 's'} tried in ${this.#elapsed()} ms`;
    const hints: string[] = [];
    const reachable = this.#records.filter((record) => record.outcome === 'reachable');
    if (reachable.length > 0) {
      hints.push(
        `only unencrypted HTTP was reachable (${reachable.map((record) => record.path).join('; ')}); ` +
          'enable "Allow unencrypted HTTP tunnelling" to use it',
      );
    }
    if (this.#certificateFailed) {
      hints.push("the server's certificate failed verification; Burrow does not fall back to a weaker path");
    }
    return { summary, hints };
  }

  #describe(record: AttemptRecord, error: unknown): Cause {
    const { endpoint, route } = record.candidate;
    return describeFailure(error, {
      host: endpoint.host,
      port: endpoint.port,
      ...(this.#serverName ? { serverName: this.#serverName } : {}),
      ...(route.kind === 'proxy' ? { proxy: formatHostPort(route.proxy.host, route.proxy.port) } : {}),
    });
  }

  #noAnswer(record: AttemptRecord, ms: number, nextPathTried: boolean): Cause {
    const { host, port } = record.candidate.endpoint;
    return describeFailure(new NoAnswerError(formatHostPort(host, port), ms), { host, port, nextPathTried });
  }

  #elapsed(): number {
    return Date.now() - this.#startedAt;
  }

  #after(ms: number, action: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      action();
    }, ms);
    this.#timers.add(timer);
    return timer;
  }

  #cancelNextTimer(): void {
    if (this.#nextTimer === undefined) return;
    clearTimeout(this.#nextTimer);
    this.#timers.delete(this.#nextTimer);
    this.#nextTimer = undefined;
  }

  #emit(type: AttemptEvent['type'], record: AttemptRecord): void {
    this.#onEvent({ type, atMs: this.#elapsed(), record: { ...record } });
  }
}
