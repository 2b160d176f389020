/** Preferences › Test connection: the race for one community as saved, its timeline pushed live. */
import type { AttemptView, ConnectionTestResult } from '../contract/contract.js';
import type { Handlers } from '../contract/validate.js';
import { communityConnection, type CommunityConnection, type CommunityConnectionDeps } from './community-connection.js';
import { attemptPath } from './connection/candidate.js';
import { connectToCommunity } from './connection/connect.js';
import type { AttemptRecord } from './connection/race.js';
import { signInFailureCause } from './connection/sign-in-failure.js';
import type { EventHub } from './events.js';
import type { XmppStream } from './stream/xmpp-stream.js';

export function attemptView(record: AttemptRecord): AttemptView {
  const { attempt, candidate, excluded, outcome, startedAtMs, reachedAtMs, negotiatingAtMs, endedAtMs, cause } = record;
  return {
    attempt,
    path: attemptPath(candidate),
    excluded,
    outcome,
    ...(startedAtMs === undefined ? {} : { startedAtMs }),
    ...(reachedAtMs === undefined ? {} : { reachedAtMs }),
    ...(negotiatingAtMs === undefined ? {} : { negotiatingAtMs }),
    ...(endedAtMs === undefined ? {} : { endedAtMs }),
    // A plain cancellation is already said by the outcome; a black-holed path keeps its own cause.
    ...(cause && cause.kind !== 'cancelled' ? { cause } : {}),
  };
}

export function createConnectionTester(deps: CommunityConnectionDeps & { events: EventHub }): Handlers<'connection:test'> {
  return {
    'connection:test': async ({ communityId }): Promise<ConnectionTestResult> => {
      const { request, account } = await communityConnection(communityId, deps);
      const { result } = await connectToCommunity({
        ...request,
        onEvent: (event) =>
          deps.events.emit('connection:testProgress', { communityId, event: event.type, atMs: event.atMs, attempt: attemptView(event.record) }),
      });
      const attempts = result.attempts.map(attemptView);
      if (!result.connected) {
        return {
          communityId,
          connected: false,
          path: null,
          elapsedMs: result.elapsedMs,
          attempts,
          diagnosis: result.diagnosis,
          signIn: { status: 'skipped', reason: 'not connected' },
        };
      }
      const { client } = result.connection;
      try {
        return {
          communityId,
          connected: true,
          path: attemptPath(result.winner.candidate),
          elapsedMs: result.elapsedMs,
          attempts,
          diagnosis: null,
          signIn: await signIn(client, account),
        };
      } finally {
        result.connection.close();
      }
    },
  };
}

async function signIn(client: XmppStream, account: CommunityConnection['account']): Promise<ConnectionTestResult['signIn']> {
  if (!account.username || account.password === undefined) {
    return { status: 'skipped', reason: 'no user name and password saved for this community' };
  }
  try {
    await client.authenticate({ username: account.username, password: account.password });
    return { status: 'signed-in', jid: client.jid ?? account.username };
  } catch (error) {
    return { status: 'failed', cause: signInFailureCause(error) };
  }
}
