/** An attempt of the race as the contract carries it: its path as structure, its times, its cause. */
import type { AttemptView } from '../../contract/attempt-view.js';
import { attemptPath } from './candidate.js';
import type { AttemptRecord } from './race.js';

export function attemptView(record: AttemptRecord): AttemptView {
  const { attempt, candidate, excluded, outcome, startedAtMs, reachedAtMs, negotiatingAtMs, securedAtMs, endedAtMs, cause } = record;
  return {
    attempt,
    path: attemptPath(candidate),
    excluded,
    outcome,
    ...(startedAtMs === undefined ? {} : { startedAtMs }),
    ...(reachedAtMs === undefined ? {} : { reachedAtMs }),
    ...(negotiatingAtMs === undefined ? {} : { negotiatingAtMs }),
    ...(securedAtMs === undefined ? {} : { securedAtMs }),
    ...(endedAtMs === undefined ? {} : { endedAtMs }),
    // A plain cancellation is already said by the outcome; a black-holed path keeps its own cause.
    ...(cause && cause.kind !== 'cancelled' ? { cause } : {}),
  };
}
