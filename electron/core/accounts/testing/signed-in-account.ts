/**
 * An account signed in, as the app opens it on each start, with a real session and real files over
 * a fake stream; the test mocks the race with fake-stream-race.ts and the settings with
 * fake-community-connection.ts.
 */
import { memoryStore } from '../../connection/winners.js';
import type { EventHub } from '../../events.js';
import type { StandingNotice } from '../../notices.js';
import { FakeClient } from '../../session/testing/fake-client.js';
import { Account } from '../account.js';
import { ServerQuirks, type LearntQuirks } from '../server-quirks.js';
import { winNextRaceWith } from './fake-stream-race.js';

/** An account over `dataDir`, as the app opens it on each start, signed in over a fresh fake stream. */
export async function signedInAccount(
  dataDir: string,
  events: EventHub,
  standingNotice: StandingNotice = () => {},
): Promise<{ account: Account; client: FakeClient }> {
  const client = new FakeClient();
  winNextRaceWith(client);
  const account = new Account(
    {
      communityId: 'lab',
      dataDir,
      connection: {} as never,
      events,
      winners: { forget: () => {}, recall: () => undefined } as never,
      quirks: new ServerQuirks(memoryStore<LearntQuirks>()),
      networkFingerprint: async () => 'lab-network',
      standingNotice,
    },
    'Lab',
  );
  await account.connect();
  return { account, client };
}
