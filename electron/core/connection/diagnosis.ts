/**
 * The race's attempts classified: which class of failure stood in the way (contract/diagnosis.ts).
 * The most telling class wins where several paths failed differently: a refused certificate or
 * proxy login is the user's to act on whatever else failed; a server that answered wrongly says
 * more than ports that stayed silent.
 */
import type { AttemptCause } from '../../contract/attempt-view.js';
import type { Diagnosis, Obstacle } from '../../contract/diagnosis.js';
import { attemptPath } from './candidate.js';
import type { AttemptRecord } from './race.js';

type Failed = AttemptRecord & { cause: AttemptCause };

const serverAnsweredWrongly = new Set<AttemptCause['kind']>([
  'tls',
  'http-status',
  'websocket-refused',
  'not-xmpp',
  'server-ended',
  'too-large',
  'malformed-xml',
  'other',
]);

const nothingAnswered = new Set<AttemptCause['kind']>(['refused', 'no-answer', 'unreachable', 'reset']);

export function diagnose(records: readonly AttemptRecord[], elapsedMs: number): Diagnosis {
  const planned = records.filter((record) => !record.excluded);
  const host = records[0]?.candidate.endpoint.host ?? '';
  const tried = planned.filter((record) => record.startedAtMs !== undefined).length;
  const obstacle = planned.length === 0 ? { kind: 'no-allowed-path' as const, host } : obstacleOf(records, failedOf(planned), host);
  return { host, tried, elapsedMs, ...(obstacle ? { obstacle } : {}) };
}

/** Paths that failed on their own: an attempt stopped because another won or the race ended is no failure, unless it was already silent. */
function failedOf(planned: readonly AttemptRecord[]): Failed[] {
  return planned.filter(
    (record): record is Failed =>
      record.cause !== undefined && record.cause.kind !== 'cancelled' && (record.outcome === 'failed' || record.outcome === 'cancelled'),
  );
}

function obstacleOf(records: readonly AttemptRecord[], failed: readonly Failed[], host: string): Obstacle | undefined {
  if (failed.length === 0) return undefined;
  const [certificate] = causesOf(failed, 'certificate');
  if (certificate) return { kind: 'certificate', expectedName: certificate.expectedName, ...(certificate.certificate ? { certificate: certificate.certificate } : {}) };
  const logins = causesOf(failed, 'proxy-authentication');
  const login = logins.find((cause) => cause.proxyLogin) ?? logins[0];
  if (login) return { kind: 'proxy-login', proxy: login.proxy, ...(login.proxyLogin ? { proxyLogin: login.proxyLogin } : {}) };
  const proxyDown = causesOf(failed, 'proxy-failure').find((cause) => cause.problem === 'unreachable');
  if (proxyDown) return { kind: 'proxy-unreachable', proxy: proxyDown.proxy };
  const notFound = causesOf(failed, 'name-not-found');
  if (notFound[0] && notFound.length === failed.length) return { kind: 'name-not-found', host: notFound[0].host, temporary: notFound[0].temporary };

  const unencrypted = records.filter((record) => record.outcome === 'reachable');
  const connected = records.some((record) => record.outcome === 'won');
  if (!connected && unencrypted.length > 0) return { kind: 'unencrypted-only', host, paths: unencrypted.map(({ candidate }) => attemptPath(candidate)) };

  const wrongAnswer = failed.find(({ cause }) => serverAnsweredWrongly.has(cause.kind));
  if (wrongAnswer) return { kind: 'server', host, cause: wrongAnswer.cause };

  const refusedByProxy = causesOf(failed, 'proxy-refused');
  if (refusedByProxy[0]) return { kind: 'proxy-refusing', proxy: refusedByProxy[0].proxy, host, ports: unique(refusedByProxy.map(({ port }) => port)) };

  const blocked = failed.filter(({ cause }) => nothingAnswered.has(cause.kind) || (cause.kind === 'proxy-failure' && cause.problem === 'protocol'));
  if (blocked[0]) {
    return {
      kind: 'ports-blocked',
      host,
      ports: unique(blocked.map(({ candidate }) => candidate.endpoint.port)).sort((a, b) => a - b),
      silent: blocked.some(({ cause }) => cause.kind === 'no-answer'),
      route: blocked[0].candidate.route.kind,
    };
  }
  return { kind: 'unclear', host };
}

function causesOf<K extends AttemptCause['kind']>(failed: readonly Failed[], kind: K): Array<Extract<AttemptCause, { kind: K }>> {
  return failed.map(({ cause }) => cause).filter((cause): cause is Extract<AttemptCause, { kind: K }> => cause.kind === kind);
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
