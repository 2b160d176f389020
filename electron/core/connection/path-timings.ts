/**
 * How long each path took to carry XMPP on a network, learnt from the races run there, so that the
 * next race judges paths by measured time rather than by their kind alone (DESIGN.md "The plan and
 * the race"): the fastest path measured goes first, and a path is not doubled beside one it is
 * known to be slower than.
 */
import { candidateKey } from './candidate.js';
import type { Candidate } from './candidate.js';
import type { AttemptRecord } from './race.js';

/**
 * measured: the path's stream features came after `ms` of its own time;
 * slower-than: it had none after `ms` of its own time, when another path won.
 */
export type PathTiming = { kind: 'measured' | 'slower-than'; ms: number };

/** By `candidateKey`. */
export type PathTimings = ReadonlyMap<string, PathTiming>;

export function timingOf(timings: PathTimings | undefined, candidate: Candidate): PathTiming | undefined {
  return timings?.get(candidateKey(candidate));
}

/**
 * Whether `candidate` is known to need at least as long as `ahead` does. A path that merely lost
 * to it once counts too: both ran side by side, and the other had its features first.
 */
export function knownSlower(timings: PathTimings | undefined, candidate: Candidate, ahead: Candidate): boolean {
  const mine = timingOf(timings, candidate);
  const theirs = timingOf(timings, ahead);
  return mine !== undefined && theirs?.kind === 'measured' && mine.ms >= theirs.ms;
}

/**
 * The path's own time to its features (or, `untilMs`, to the moment it was cancelled): opening
 * its route, then its XMPP stage. The time it waited for its turn in between is the race's, not
 * the path's.
 */
function ownTimeMs(record: AttemptRecord, untilMs: number): number | undefined {
  const { startedAtMs, reachedAtMs, negotiatingAtMs } = record;
  if (startedAtMs === undefined || reachedAtMs === undefined || negotiatingAtMs === undefined) return undefined;
  return reachedAtMs - startedAtMs + (untilMs - negotiatingAtMs);
}

/**
 * `known` updated with what a race showed: each path that got its features, how long it took; each
 * one cancelled in its XMPP stage (another won, or the race ended), that it needs longer than it
 * had; each one that failed, nothing any more. Paths never tried, or cancelled before their XMPP
 * stage, keep what was known.
 */
export function learnTimings(known: PathTimings, attempts: readonly AttemptRecord[]): Map<string, PathTiming> {
  const learnt = new Map(known);
  for (const record of attempts) {
    if (record.excluded) continue;
    const key = candidateKey(record.candidate);
    if (record.featuresAtMs !== undefined) {
      const ms = ownTimeMs(record, record.featuresAtMs);
      if (ms !== undefined) learnt.set(key, { kind: 'measured', ms });
    } else if (record.outcome === 'cancelled' && record.endedAtMs !== undefined) {
      const ms = ownTimeMs(record, record.endedAtMs);
      const before = learnt.get(key);
      // A bound below what was measured says nothing new.
      if (ms !== undefined && !(before && before.ms >= ms)) learnt.set(key, { kind: 'slower-than', ms });
    } else if (record.outcome === 'failed') {
      learnt.delete(key);
    }
  }
  return learnt;
}
