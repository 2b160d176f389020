/** Preferences › Test connection: the race for one community as saved, its timeline pushed live. */
import type { ConnectionTestResult } from '../contract/contract.js';
import type { Handlers } from '../contract/validate.js';
import { communityConnection, type CommunityConnection, type CommunityConnectionDeps } from './community-connection.js';
import { attemptPath } from './connection/candidate.js';
import { connectToCommunity } from './connection/connect.js';
import { attemptView } from './connection/attempt-view.js';
import { diagnose } from './connection/diagnosis.js';
import { signInFailureCause } from './connection/sign-in-failure.js';
import type { EventHub } from './events.js';
import type { XmppStream } from './stream/xmpp-stream.js';

export function createConnectionTester(deps: CommunityConnectionDeps & { events: EventHub }): Handlers<'connection:test'> {
  return {
    'connection:test': async ({ communityId }): Promise<ConnectionTestResult> => {
      const { request, account, facts } = await communityConnection(communityId, deps);
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
          settings: facts,
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
          diagnosis: diagnose(result.attempts, result.elapsedMs),
          settings: facts,
          signIn: await signIn(client, account, result.winner.endedAtMs ?? result.elapsedMs),
        };
      } finally {
        result.connection.close();
      }
    },
  };
}

/** `wonAtMs`: when the race won, so that the sign-in is timed on the race's clock. */
async function signIn(client: XmppStream, account: CommunityConnection['account'], wonAtMs: number): Promise<ConnectionTestResult['signIn']> {
  const startedAt = Date.now();
  const endedAtMs = () => wonAtMs + (Date.now() - startedAt);
  if (!account.username || account.password === undefined) {
    return { status: 'skipped', reason: 'no user name and password saved for this community' };
  }
  try {
    await client.authenticate({ username: account.username, password: account.password });
    return { status: 'signed-in', jid: client.jid ?? account.username, endedAtMs: endedAtMs() };
  } catch (error) {
    return { status: 'failed', cause: signInFailureCause(error), endedAtMs: endedAtMs() };
  }
}
