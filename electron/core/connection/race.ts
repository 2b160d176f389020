/**
 * Happy-Eyeballs race over the planned candidates (RFC 8305 style, DESIGN.md "The plan and the race"),
 * and the ancestors' sequential strategy as a baseline.
 *
 * An attempt resolves once the server's stream features have arrived, before any authentication;
 * the first one to do so over an acceptable channel wins and every other attempt is cancelled, so
 * no duplicate session is ever authenticated.
 *
 * Two stages per attempt. A fixed stagger alone makes every black-holed path ahead of a working
 * one cost a whole attempt delay (S3: two silent ports ahead of 443 cost 500 ms). So each attempt
 * first *reaches*: it opens its route socket (the TCP connection, or the proxy tunnel; no TLS, no
 * XMPP, no session), which is cheap and starts for every candidate at once (bounded fan-out).
 * Only the *XMPP stage* (TLS, stream open, features) is staggered, in priority order:
 *  - the first XMPP stage goes to the highest-priority candidate that has reached; a higher one
 *    still reaching is waited for only as long as the reached one needed to reach, plus a grace
 *    (a quarter of that, at least 10 ms, RFC 8305's minimum delay), after which it counts as
 *    black-holed and is passed over ("overtaken");
 *  - the next XMPP stage begins one attempt delay after the previous one began, or at once when
 *    every XMPP stage begun so far has failed;
 *  - a higher-priority candidate that reaches late still gets its XMPP stage, and may win: a lower
 *    one that gets its features first waits for it as long as it needed for its own (plus the
 *    grace), since a route that was only slow to open (a busy server, a busy client) is no filter.
 * The attempt delay is there so that a healthy preferred path is not doubled by needless attempts.
 * A network that has black-holed one of our paths has shown it filters, and there the remaining
 * paths (typically wss and BOSH on 443) are the likelier to be tampered with too; so once a
 * candidate has been passed over as black-holed, the following XMPP stages are spaced by the
 * minimum delay (10 ms) only: they run side by side, in priority order, and the first to reach its
 * features wins. Unencrypted paths (when allowed) are never hurried so: they still give the
 * encrypted ones ahead of them the full attempt delay. In an open network nothing is black-holed, so the first candidate goes first and
 * no lower one starts its XMPP stage before the full attempt delay.
 * The delay judges paths by kind; where only time can tell, they run together: WebSocket and BOSH
 * over the same route (`framingSiblings`) begin their XMPP stages side by side, unless earlier races
 * on this network (`timings`, which also order the plan) showed one slower than the other.
 * When every allowed reach is still pending at a delay's end, one more candidate may start reaching
 * beyond the fan-out, so silent sockets never starve the plan. When the race ends, every other
 * attempt is aborted and closes its socket, whatever its stage; none was ever authenticated.
 *
 * Discovery (SRV, host-meta) takes a few round trips, and waiting for it would add them to every
 * cold start. So the race starts at once on the plan from the address and the default endpoints,
 * and the candidates discovery finds join it when it answers, where the plan puts them
 * (`discoveredPlan`). Until then a race whose planned paths have all failed does not give up:
 * where the server announces its endpoints only in host-meta (S14), those are the ones that work.
 *
 * Unencrypted paths left out of the plan are *probed*, up to their stream features and never
 * further, so that a failure can say whether they would have worked. They are probed once every
 * allowed path has failed, or sooner, once every allowed path tried has been silent for one attempt
 * delay without a single route opening: a network that answers nothing we may use (S4).
 * A race that does not connect ends at the deadline, or when every allowed path has failed and every
 * probe has finished, or — once a probe has carried XMPP — when every allowed path still running
 * has been silent, its route not open, for the black-hole limit (2 s). A black-holed port might
 * still answer late, but TCP resends a lost SYN after 1 s, so two seconds of silence while the same
 * server answers unencrypted at once is a filter, not a lost packet, and the user is better served
 * by the diagnosis than by the connect timeout. A path whose route has opened is waited for: it is
 * slow, not black-holed. Discovery still pending holds this off too, for what it may add.
 */
import type { PortConvention } from '../../contract/attempt-view.js';
import type { Diagnosis } from '../../contract/diagnosis.js';
import { endpointUrl, formatHostPort } from '../../contract/attempt-words.js';
import { attemptPath, candidateKey, describeCandidate, framingSiblings, withoutSecrets } from './candidate.js';
import type { Candidate } from './candidate.js';
import { describeFailure } from './causes.js';
import type { Cause } from './causes.js';
import { diagnose } from './diagnosis.js';
import { NoAnswerError } from './errors.js';
import { knownSlower } from './path-timings.js';
import type { PathTimings } from './path-timings.js';
import type { Plan } from './plan.js';

/** A path that carries XMPP: stream features arrived. Closed by the race if it loses. */
export interface EstablishedPath {
  readonly secure: boolean;
  close(): void;
}

/** What the race gives an attempt to pace its stages. */
export interface AttemptStages {
  /**
   * Called once the route socket is open, before TLS or anything XMPP. Resolves when the race lets
   * the attempt go on; rejects (with the abort reason) when the race cancels it meanwhile, and the
   * attempt then closes its socket.
   */
  reached(): Promise<void>;
  /** Called once TLS is up, for the timeline: the race does not pace on it. */
  secured(): void;
}

/**
 * Connects one candidate up to the stream features; rejects (and cleans up) when `signal` aborts.
 * An attempt calls `stages.reached()` between opening its route and the XMPP stage; one that never
 * calls it simply is not paced.
 */
export type Attempt<T extends EstablishedPath> = (candidate: Candidate, signal: AbortSignal, stages?: AttemptStages) => Promise<T>;

export type Strategy =
  | {
      kind: 'race';
      /** Between the starts of two XMPP stages (RFC 8305's "Connection Attempt Delay"). */
      attemptDelayMs: number;
      /** How many route sockets may be opening at once (default 8). */
      reachFanOut?: number;
      /** The least a candidate still reaching is waited for once a lower one has reached (default 10 ms). */
      minReachGraceMs?: number;
      /** The attempt delay once the network has black-holed a candidate (default 10 ms, RFC 8305's minimum). */
      filteredAttemptDelayMs?: number;
      /**
       * How long every allowed path still opening its route must have been silent, once a probe has
       * carried XMPP unencrypted, for the race to give up on them (default 2000 ms).
       */
      blackHoleLimitMs?: number;
    }
  /** One attempt at a time, each waiting out its timeout: the baseline the race is measured against. */
  | { kind: 'sequential'; attemptTimeoutMs: number };

export interface RaceOptions {
  /** The XMPP domain, which certificates are checked against, for the causes. */
  serverName?: string;
  strategy?: Strategy;
  deadlineMs?: number;
  allowUnencrypted: boolean;
  /**
   * The plan again once discovery has answered, with the candidates it found in their places
   * (`planWithDiscovery`); it keeps every candidate of the plan being raced. While it is pending,
   * the race does not give up short of the deadline.
   */
  discoveredPlan?: Promise<Plan>;
  /** What earlier races on this network measured (`learnTimings`): a path known to be slower than its framing sibling is not started beside it. */
  timings?: PathTimings;
  onEvent?: (event: AttemptEvent) => void;
}

export const defaultStrategy: Strategy = { kind: 'race', attemptDelayMs: 250 };
export const defaultDeadlineMs = 20_000;
export const defaultReachFanOut = 8;
export const defaultMinReachGraceMs = 10;
export const defaultFilteredAttemptDelayMs = 10;
export const defaultBlackHoleLimitMs = 2000;

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
  /** When its route socket was open (the reach stage done). */
  reachedAtMs?: number;
  /** When its XMPP stage (TLS, stream, features) began. */
  negotiatingAtMs?: number;
  /** When its TLS was up, within the XMPP stage. */
  securedAtMs?: number;
  /** When its stream features arrived. */
  featuresAtMs?: number;
  endedAtMs?: number;
  outcome: AttemptOutcome;
  cause?: Cause;
}

export interface AttemptEvent {
  /** started: the route is being opened; reached: it is open; negotiating: TLS and XMPP began; secured: TLS is up. */
  type: 'started' | 'reached' | 'negotiating' | 'secured' | 'overtaken' | 'won' | 'failed' | 'cancelled' | 'skipped' | 'reachable';
  /** Milliseconds since the race started. */
  atMs: number;
  record: AttemptRecord;
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

/** Where a running attempt is: opening its route, waiting for its XMPP turn, or in TLS and XMPP. */
interface Progress {
  stage: 'reaching' | 'reached' | 'negotiating';
  /** Lets a reached attempt go on to its XMPP stage. */
  proceed?: () => void;
}

class Race<T extends EstablishedPath> {
  readonly #attempt: Attempt<T>;
  readonly #strategy: Strategy;
  readonly #deadlineMs: number;
  readonly #allowUnencrypted: boolean;
  readonly #serverName: string | undefined;
  readonly #onEvent: (event: AttemptEvent) => void;
  readonly #discoveredPlan: Promise<Plan> | undefined;
  readonly #timings: PathTimings | undefined;
  /** In priority order: the planned candidates, then the excluded ones. */
  #records: AttemptRecord[];
  #attemptsCreated = 0;
  /** The candidates with their credentials, for the attempts themselves. */
  readonly #candidates = new Map<AttemptRecord, Candidate>();
  readonly #controllers = new Map<AttemptRecord, AbortController>();
  readonly #progress = new Map<AttemptRecord, Progress>();
  readonly #overtaken = new Set<AttemptRecord>();
  /** Passed over while still opening its route, as black-holed. */
  readonly #judgedBlackHoled = new Set<AttemptRecord>();
  /** A lower-priority path that has its features, waiting for higher ones that reached late. */
  #held: { record: AttemptRecord; connection: T; untilMs: number } | undefined;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #startedAt = Date.now();
  #nextTimer: NodeJS.Timeout | undefined;
  /** How many route sockets may be opening at once; grows by one per attempt delay in which nothing could go on. */
  #reachLimit: number;
  /** When the last XMPP stage began, or the fan-out last grew: the stagger's clock. */
  #lastStepAtMs = 0;
  #lastNegotiationAtMs: number | undefined;
  /** A candidate was passed over as black-holed: the network filters, and the XMPP stages need not wait long. */
  #filtered = false;
  #certificateFailed = false;
  /** Discovery has not answered yet: a race whose paths have all failed waits for what it may add. */
  #awaitingPlan = false;
  #finished = false;
  #finish: (result: RaceResult<T>) => void = () => {};

  constructor(plan: Plan, attempt: Attempt<T>, options: RaceOptions) {
    this.#attempt = attempt;
    this.#strategy = options.strategy ?? defaultStrategy;
    this.#deadlineMs = options.deadlineMs ?? defaultDeadlineMs;
    this.#allowUnencrypted = options.allowUnencrypted;
    this.#serverName = options.serverName;
    this.#onEvent = options.onEvent ?? (() => {});
    this.#discoveredPlan = options.discoveredPlan;
    this.#timings = options.timings;
    this.#reachLimit = Math.max(1, this.#strategy.kind === 'race' ? (this.#strategy.reachFanOut ?? defaultReachFanOut) : 1);
    this.#records = [
      ...plan.candidates.map((candidate) => this.#record(candidate, false)),
      ...plan.excluded.map(({ candidate }) => this.#record(candidate, true)),
    ];
  }

  run(): Promise<RaceResult<T>> {
    return new Promise((resolve) => {
      this.#finish = resolve;
      this.#after(this.#deadlineMs, () => this.#onDeadline());
      this.#awaitDiscoveredPlan();
      this.#continue();
    });
  }

  /** Attempts are numbered in the order they became known, discovered ones after the first plan's. */
  #record(candidate: Candidate, excluded: boolean): AttemptRecord {
    const created: AttemptRecord = {
      attempt: this.#attemptsCreated++,
      candidate: withoutSecrets(candidate),
      path: describeCandidate(candidate),
      excluded,
      outcome: 'not-started',
    };
    this.#candidates.set(created, candidate);
    return created;
  }

  #awaitDiscoveredPlan(): void {
    if (!this.#discoveredPlan) return;
    this.#awaitingPlan = true;
    const settled = () => {
      this.#awaitingPlan = false;
      this.#continue();
    };
    this.#discoveredPlan.then((plan) => {
      if (!this.#finished) this.#addCandidates(plan);
      settled();
    }, settled); // discovery only ever adds candidates; without an answer the race goes on as planned
  }

  /** Takes the plan's order; a candidate already known (same path, same route) keeps its record and whatever it has done. */
  #addCandidates(plan: Plan): void {
    const known = new Map(this.#records.map((record) => [candidateKey(record.candidate), record]));
    const recordOf = (candidate: Candidate, excluded: boolean) => known.get(candidateKey(candidate)) ?? this.#record(candidate, excluded);
    this.#records = [
      ...plan.candidates.map((candidate) => recordOf(candidate, false)),
      ...plan.excluded.map(({ candidate }) => recordOf(candidate, true)),
    ];
  }

  /**
   * The race's one step, taken whenever anything changed: open more routes (within the fan-out),
   * give the next XMPP stage when its turn has come, and wake up again when one will.
   */
  #pump(): void {
    if (this.#finished || this.#strategy.kind !== 'race') return;
    const { attemptDelayMs: fullDelayMs } = this.#strategy;
    this.#cancelNextTimer();
    this.#skipUnsafeAfterCertificateFailure();
    for (let next = this.#nextPlanned(); next && this.#inStage('reaching').length < this.#reachLimit; next = this.#nextPlanned()) {
      this.#start(next, true);
    }
    if (this.#finished) return;
    const now = this.#elapsed();
    const negotiating = this.#inStage('negotiating');
    const choice = this.#nextToNegotiate(now);
    let wakeAtMs = choice.wakeAtMs;
    if (choice.record) {
      // Side by side in a filtered network, but an unencrypted path never runs alongside encrypted ones:
      // it still gives them the full attempt delay.
      const withSibling = this.#joinsFramingSibling(choice.record, negotiating);
      const sideBySide = withSibling || (this.#filtered && choice.record.candidate.endpoint.secure);
      const attemptDelayMs = withSibling ? 0 : sideBySide ? (this.#strategy.filteredAttemptDelayMs ?? defaultFilteredAttemptDelayMs) : fullDelayMs;
      const turnAtMs =
        this.#lastNegotiationAtMs === undefined || negotiating.length === 0 ? now : this.#lastNegotiationAtMs + attemptDelayMs;
      if (turnAtMs <= now) {
        // Side by side, the ones already negotiating are not overtaken for their silence.
        if (!sideBySide) for (const record of negotiating) this.#overtake(record, now - (record.negotiatingAtMs ?? 0));
        for (const record of choice.passed) {
          this.#overtake(record, now - (record.startedAtMs ?? 0));
          this.#judgedBlackHoled.add(record);
        }
        if (choice.passed.length > 0) this.#filtered = true;
        this.#negotiate(choice.record);
        this.#pump();
        return;
      }
      wakeAtMs = turnAtMs;
    }
    // Nothing can go on now: if routes are waiting behind the fan-out, let one more open once per delay.
    if (this.#nextPlanned()) {
      const stepAtMs = this.#lastStepAtMs + fullDelayMs;
      if (stepAtMs <= now) {
        this.#reachLimit += 1;
        this.#lastStepAtMs = now;
        this.#pump();
        return;
      }
      wakeAtMs = Math.min(wakeAtMs ?? stepAtMs, stepAtMs);
    }
    const probesAtMs = this.#probesDueAtMs(fullDelayMs);
    if (probesAtMs !== undefined && probesAtMs <= now) this.#startProbes();
    else if (probesAtMs !== undefined) wakeAtMs = Math.min(wakeAtMs ?? probesAtMs, probesAtMs);
    const giveUpAtMs = this.#silentPathsGiveUpAtMs();
    if (giveUpAtMs !== undefined && giveUpAtMs <= now) {
      this.#giveUpOnSilentPaths();
      return;
    }
    if (giveUpAtMs !== undefined) wakeAtMs = Math.min(wakeAtMs ?? giveUpAtMs, giveUpAtMs);
    this.#concludeIfNothingRuns();
    if (this.#finished) return;
    this.#cancelNextTimer();
    if (wakeAtMs !== undefined) this.#nextTimer = this.#after(Math.max(0, wakeAtMs - now), () => this.#pump());
  }

  /**
   * A path whose framing sibling is negotiating starts at once beside it, unless earlier races showed
   * it slower: the two share their route and TLS, so the attempt delay would only judge them by kind,
   * while running together lets the framing that reaches its features first win (behind an HTTP
   * proxy BOSH needs one round trip fewer than WebSocket's upgrade and stream open).
   */
  #joinsFramingSibling(record: AttemptRecord, negotiating: AttemptRecord[]): boolean {
    return negotiating.some(
      (other) => framingSiblings(record.candidate, other.candidate) && !knownSlower(this.#timings, record.candidate, other.candidate),
    );
  }

  /**
   * When to probe the excluded paths: now, once every allowed path has failed; one attempt delay
   * after the last allowed path was tried, while not one of them has opened its route.
   */
  #probesDueAtMs(attemptDelayMs: number): number | undefined {
    if (!this.#records.some((record) => record.excluded && record.outcome === 'not-started')) return undefined;
    const allowed = this.#records.filter((record) => !record.excluded);
    if (!this.#nextPlanned() && !allowed.some((record) => record.outcome === 'running')) return 0;
    const tried = allowed.filter((record) => record.startedAtMs !== undefined);
    if (tried.length === 0 || tried.some((record) => record.reachedAtMs !== undefined)) return undefined;
    return Math.max(...tried.map((record) => record.startedAtMs ?? 0)) + attemptDelayMs;
  }

  /**
   * Once a probe has carried XMPP, when every allowed path still running will have been silent for
   * the black-hole limit; never while one has opened its route, one is still to be tried, or
   * discovery may add more.
   */
  #silentPathsGiveUpAtMs(): number | undefined {
    if (this.#strategy.kind !== 'race' || this.#awaitingPlan || this.#nextPlanned()) return undefined;
    if (!this.#records.some((record) => record.outcome === 'reachable')) return undefined;
    const running = this.#records.filter((record) => !record.excluded && record.outcome === 'running');
    if (running.length === 0 || running.some((record) => this.#progress.get(record)?.stage !== 'reaching')) return undefined;
    const limitMs = this.#strategy.blackHoleLimitMs ?? defaultBlackHoleLimitMs;
    return Math.max(...running.map((record) => record.startedAtMs ?? 0)) + limitMs;
  }

  #giveUpOnSilentPaths(): void {
    const now = this.#elapsed();
    for (const record of this.#records) {
      if (!record.excluded && record.outcome === 'running') {
        this.#end(record, 'failed', this.#noAnswer(record, now - (record.startedAtMs ?? 0), false));
      }
    }
    this.#concludeWithoutConnecting();
  }

  /**
   * The highest-priority reached attempt, if the ones above it that are still reaching have had as
   * long as it needed plus the grace; otherwise when to look again.
   */
  #nextToNegotiate(now: number): { record?: AttemptRecord; passed: AttemptRecord[]; wakeAtMs?: number } {
    const minGraceMs = this.#minGraceMs();
    const reaching: AttemptRecord[] = [];
    for (const record of this.#records) {
      if (record.excluded || record.outcome !== 'running') continue;
      const stage = this.#progress.get(record)?.stage;
      if (stage === 'reaching') reaching.push(record);
      if (stage !== 'reached') continue;
      const reachMs = (record.reachedAtMs ?? now) - (record.startedAtMs ?? 0);
      const waitMs = reachMs + Math.max(minGraceMs, Math.ceil(reachMs / 4));
      const silentAtMs = Math.max(0, ...reaching.map((higher) => (higher.startedAtMs ?? 0) + waitMs));
      return silentAtMs <= now ? { record, passed: reaching } : { passed: [], wakeAtMs: silentAtMs };
    }
    return { passed: [] };
  }

  #negotiate(record: AttemptRecord): void {
    const progress = this.#progress.get(record);
    if (!progress) return;
    progress.stage = 'negotiating';
    record.negotiatingAtMs = this.#elapsed();
    // A probe runs beside the race, not in its stagger.
    if (!record.excluded) {
      this.#lastNegotiationAtMs = record.negotiatingAtMs;
      this.#lastStepAtMs = record.negotiatingAtMs;
    }
    this.#emit('negotiating', record);
    progress.proceed?.();
  }

  #overtake(record: AttemptRecord, silentForMs: number): void {
    if (this.#overtaken.has(record)) return;
    this.#overtaken.add(record);
    record.cause = this.#noAnswer(record, silentForMs, true);
    this.#emit('overtaken', record);
  }

  #minGraceMs(): number {
    return (this.#strategy.kind === 'race' ? this.#strategy.minReachGraceMs : undefined) ?? defaultMinReachGraceMs;
  }

  /** The higher-priority paths judged black-holed that reached after all and are still negotiating. */
  #lateReachersAbove(record: AttemptRecord): AttemptRecord[] {
    return this.#records
      .slice(0, this.#records.indexOf(record))
      .filter((other) => this.#judgedBlackHoled.has(other) && other.outcome === 'running' && this.#progress.get(other)?.stage === 'negotiating');
  }

  /**
   * Until when a path that has its features waits for the late reachers above it: each gets as
   * long as this one needed for its XMPP stage, plus the grace. Undefined when there is no need.
   */
  #waitForLateReachersUntilMs(record: AttemptRecord, now: number): number | undefined {
    const late = this.#lateReachersAbove(record);
    if (late.length === 0) return undefined;
    const neededMs = now - (record.negotiatingAtMs ?? now);
    const graceMs = Math.max(this.#minGraceMs(), Math.ceil(neededMs / 4));
    const untilMs = Math.max(...late.map((other) => (other.negotiatingAtMs ?? 0) + neededMs + graceMs));
    return untilMs > now ? untilMs : undefined;
  }

  #hold(record: AttemptRecord, connection: T, untilMs: number): void {
    this.#held = { record, connection, untilMs };
    this.#after(untilMs - this.#elapsed(), () => this.#releaseHeld());
  }

  /** The held path wins once its wait is over, or no late reacher above it is left. */
  #releaseHeld(): void {
    const held = this.#held;
    if (!held || this.#finished) return;
    if (this.#elapsed() < held.untilMs && this.#lateReachersAbove(held.record).length > 0) return;
    this.#win(held.record, held.connection);
  }

  #win(record: AttemptRecord, connection: T): void {
    const held = this.#held;
    this.#held = undefined;
    if (held && held.record !== record) held.connection.close();
    this.#end(record, 'won');
    this.#conclude({ connected: true, connection, winner: record, attempts: this.#records, elapsedMs: this.#elapsed() });
  }

  #inStage(stage: Progress['stage']): AttemptRecord[] {
    return this.#records.filter(
      (record) => !record.excluded && record.outcome === 'running' && this.#progress.get(record)?.stage === stage,
    );
  }

  /** The sequential baseline: one path at a time; once none is left, probes the excluded ones. */
  #startNext(): void {
    if (this.#finished || this.#records.some((record) => !record.excluded && record.outcome === 'running')) return;
    this.#cancelNextTimer();
    this.#skipUnsafeAfterCertificateFailure();
    const record = this.#nextPlanned();
    if (!record) {
      this.#startProbes();
      this.#concludeIfNothingRuns();
      return;
    }
    this.#start(record, false);
    if (this.#strategy.kind === 'sequential') {
      const { attemptTimeoutMs } = this.#strategy;
      this.#nextTimer = this.#after(attemptTimeoutMs, () => {
        this.#end(record, 'failed', this.#noAnswer(record, attemptTimeoutMs, this.#nextPlanned() !== undefined));
        this.#startNext();
      });
    }
  }

  /** After any change: the race takes its next step, the baseline its next path once the current one is over. */
  #continue(): void {
    if (this.#strategy.kind === 'race') this.#pump();
    else this.#startNext();
  }

  #nextPlanned(): AttemptRecord | undefined {
    return this.#records.find((record) => !record.excluded && record.outcome === 'not-started');
  }

  /** A certificate failure is never "fixed" by a weaker path, not even one whose route is already open. */
  #skipUnsafeAfterCertificateFailure(): void {
    if (!this.#certificateFailed) return;
    for (const record of this.#records) {
      if (record.candidate.endpoint.secure) continue;
      const cause = this.#cancelled(record, 'certificate-failed');
      if (record.outcome === 'not-started') {
        record.outcome = 'skipped';
        record.cause = cause;
        this.#emit('skipped', record);
      } else if (record.outcome === 'running' && this.#progress.get(record)?.stage !== 'negotiating') {
        this.#end(record, 'skipped', cause);
      }
    }
  }

  /** Unencrypted paths left out of the plan are connected up to their stream features, never further,
   *  so that a failure can say whether they would have worked. */
  #startProbes(): void {
    // After a certificate failure, a hint towards unencrypted paths would be the wrong advice.
    if (this.#certificateFailed) return;
    for (const record of this.#records) {
      if (record.excluded && record.outcome === 'not-started') this.#start(record, false);
    }
  }

  /** `paced`: the XMPP stage waits for its turn (the race); otherwise it follows the route at once. */
  #start(record: AttemptRecord, paced: boolean): void {
    const controller = new AbortController();
    this.#controllers.set(record, controller);
    this.#progress.set(record, { stage: 'reaching' });
    record.startedAtMs = this.#elapsed();
    record.outcome = 'running';
    this.#emit('started', record);
    const candidate = this.#candidates.get(record) ?? record.candidate;
    const stages: AttemptStages = {
      reached: () => this.#onReached(record, controller.signal, paced),
      secured: () => {
        if (record.outcome !== 'running') return;
        record.securedAtMs = this.#elapsed();
        this.#emit('secured', record);
      },
    };
    new Promise<T>((resolve) => resolve(this.#attempt(candidate, controller.signal, stages))).then(
      (connection) => this.#onEstablished(record, connection),
      (error: unknown) => this.#onFailed(record, this.#describe(record, error)),
    );
  }

  #onReached(record: AttemptRecord, signal: AbortSignal, paced: boolean): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const progress = this.#progress.get(record);
    if (!progress || progress.stage !== 'reaching') return Promise.resolve();
    progress.stage = 'reached';
    record.reachedAtMs = this.#elapsed();
    this.#emit('reached', record);
    if (!paced) {
      this.#negotiate(record);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      progress.proceed = () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      // Not from inside the attempt's own call stack: the race steps on its own.
      queueMicrotask(() => this.#pump());
    });
  }

  #onEstablished(record: AttemptRecord, connection: T): void {
    if (this.#finished || record.outcome !== 'running') {
      connection.close();
      return;
    }
    record.featuresAtMs = this.#elapsed();
    if (record.excluded) {
      connection.close();
      this.#end(record, 'reachable');
      this.#continue();
      return;
    }
    if (!connection.secure && !this.#allowUnencrypted) {
      connection.close();
      this.#onFailed(record, { kind: 'unencrypted', path: attemptPath(record.candidate) });
      return;
    }
    const waitUntilMs = this.#waitForLateReachersUntilMs(record, this.#elapsed());
    if (waitUntilMs !== undefined && !this.#held) {
      this.#hold(record, connection, waitUntilMs);
      return;
    }
    if (this.#held && this.#records.indexOf(this.#held.record) < this.#records.indexOf(record)) {
      connection.close();
      this.#end(record, 'cancelled', this.#cancelled(record, 'another-path-won'));
      return;
    }
    this.#win(record, connection);
  }

  #onFailed(record: AttemptRecord, cause: Cause): void {
    if (this.#finished || record.outcome !== 'running') return;
    if (cause.kind === 'certificate') this.#certificateFailed = true;
    this.#end(record, 'failed', cause);
    this.#releaseHeld();
    this.#continue(); // at once: a refusal costs no waiting
  }

  #concludeIfNothingRuns(): void {
    if (this.#awaitingPlan || this.#records.some((record) => record.outcome === 'running')) return;
    this.#concludeWithoutConnecting();
  }

  #onDeadline(): void {
    if (this.#held) {
      this.#win(this.#held.record, this.#held.connection);
      return;
    }
    for (const record of this.#records) {
      if (record.outcome === 'running') {
        this.#end(record, 'failed', this.#noAnswer(record, this.#elapsed() - (record.startedAtMs ?? 0), false));
      }
    }
    this.#concludeWithoutConnecting();
  }

  #concludeWithoutConnecting(): void {
    this.#conclude({ connected: false, attempts: this.#records, elapsedMs: this.#elapsed(), diagnosis: diagnose(this.#records, this.#elapsed()) });
  }

  #end(record: AttemptRecord, outcome: 'won' | 'failed' | 'cancelled' | 'skipped' | 'reachable', cause?: Cause): void {
    record.outcome = outcome;
    record.endedAtMs = this.#elapsed();
    if (cause) record.cause = cause;
    // A winner overtaken while silent reached its features after all: that silence is no cause.
    if (outcome === 'won') delete record.cause;
    const controller = this.#controllers.get(record);
    this.#controllers.delete(record);
    this.#progress.delete(record);
    if (outcome === 'failed' || outcome === 'cancelled' || outcome === 'skipped') controller?.abort();
    this.#emit(outcome, record);
  }

  #conclude(result: RaceResult<T>): void {
    if (this.#finished) return;
    this.#finished = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const record of this.#records) {
      if (record.outcome === 'running') this.#end(record, 'cancelled', record.cause ?? this.#cancelled(record, result.connected ? 'another-path-won' : 'race-ended'));
    }
    this.#finish(result);
  }

  #describe(record: AttemptRecord, error: unknown): Cause {
    const { endpoint, route } = record.candidate;
    return describeFailure(error, {
      host: endpoint.host,
      port: endpoint.port,
      ...(endpoint.path === undefined ? {} : { url: endpointUrl(endpoint) }),
      ...(this.#serverName ? { serverName: this.#serverName } : {}),
      ...(route.kind === 'proxy' ? { proxy: formatHostPort(route.proxy.host, route.proxy.port) } : {}),
      ...this.#assumed(record),
    });
  }

  /** A guess at the transport says something only of a server that was reached. */
  #assumed({ candidate, reachedAtMs }: AttemptRecord): { assumed?: PortConvention } {
    const { assumed } = candidate.endpoint;
    return assumed && reachedAtMs !== undefined ? { assumed } : {};
  }

  #cancelled(record: AttemptRecord, reason: Exclude<Extract<Cause, { kind: 'cancelled' }>['reason'], 'aborted'>): Cause {
    const { host, port } = record.candidate.endpoint;
    return { kind: 'cancelled', reason, target: formatHostPort(host, port) };
  }

  #noAnswer(record: AttemptRecord, ms: number, nextPathTried: boolean): Cause {
    const { host, port } = record.candidate.endpoint;
    return describeFailure(new NoAnswerError(formatHostPort(host, port), ms), { host, port, nextPathTried, ...this.#assumed(record) });
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
