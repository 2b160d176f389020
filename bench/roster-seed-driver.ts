/**
 * Runs inside the lab's client namespace (spawned by roster-seed.ts): signs one account in and
 * puts the given contacts in its roster on the server with plain roster sets (RFC 6121 §2.3), so
 * any server takes them. The sets are pipelined, a bounded number in flight, and every result is
 * awaited. Setting a contact already there only rewrites it: a rerun leaves the same roster.
 * Prints one line of JSON.
 *
 *   node dist/bench/roster-seed-driver.js '<RosterSeedJob as JSON>'
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

import { errorWords } from '../electron/contract/error-words.js';
import { failureVerdict } from '../electron/contract/diagnosis-words.js';
import { connectToCommunity } from '../electron/core/connection/connect.js';
import { rosterSet } from '../electron/core/session/stanzas/roster.js';
import type { XmppStream } from '../electron/core/stream/xmpp-stream.js';

export interface RosterSeedJob {
  address: string;
  domain: string;
  caFile: string;
  account: { username: string; password: string };
  contacts: readonly { jid: string; name: string }[];
  /** Roster sets sent and not yet answered, at most. */
  inFlight: number;
}

export interface RosterSeedRun {
  seeded: number;
  ms: number;
  error?: string;
}

/** Sets every contact, `inFlight` at a time; `onSet` counts each one the server confirmed. */
async function setAll(client: XmppStream, job: RosterSeedJob, onSet: () => void): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < job.contacts.length) {
      const contact = job.contacts[next++]!;
      await client.request(rosterSet(contact), 30_000);
      onSet();
    }
  };
  await Promise.all(Array.from({ length: job.inFlight }, worker));
}

async function seed(job: RosterSeedJob): Promise<RosterSeedRun> {
  const startedAt = performance.now();
  const elapsed = () => Math.round(performance.now() - startedAt);
  const { result } = await connectToCommunity({
    address: job.address,
    domain: job.domain,
    method: 'automatic',
    allowUnencrypted: false,
    trust: { extraCas: [await readFile(job.caFile, 'utf8')] },
    discovery: false,
    deadlineMs: 20_000,
  });
  if (!result.connected) return { seeded: 0, ms: elapsed(), error: failureVerdict(result.diagnosis) };
  const { client } = result.connection;
  let seeded = 0;
  try {
    await client.authenticate({ username: job.account.username, password: job.account.password });
    await setAll(client, job, () => (seeded += 1));
    return { seeded, ms: elapsed() };
  } catch (error) {
    return { seeded, ms: elapsed(), error: errorWords(error) };
  } finally {
    await client.stop();
  }
}

const job = JSON.parse(process.argv[2] ?? '{}') as RosterSeedJob;
process.stdout.write(`${JSON.stringify({ runs: [await seed(job)] })}\n`);
process.exit(0);
