/**
 * Runs inside the lab's client namespace (spawned by login-bench.ts): signs one account in N times
 * over one path, each time afresh (a new data folder, so a fresh stream), as the app does: the race
 * (one candidate, no discovery), then the session's sign-in. Each run is timed from the call that
 * opens the connection to the initial presence going out; prints one line of JSON.
 *
 *   node dist/bench/login-driver.js '<LoginJob as JSON>'
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import { errorWords } from '../electron/contract/error-words.js';
import { failureVerdict } from '../electron/contract/diagnosis-words.js';
import { AccountData } from '../electron/core/accounts/account-data.js';
import { LetGo } from '../electron/core/accounts/let-go.js';
import { connectToCommunity } from '../electron/core/connection/connect.js';
import { Session } from '../electron/core/session/session.js';
import type { Element } from '../electron/core/session/stanzas/xml.js';
import type { PathJob } from './driver-process.js';

export interface LoginJob extends PathJob {
  account: { jid: string; username: string; password: string };
  /** Pause between runs, so that the server has let go of the previous session. */
  pauseMs: number;
}

export interface LoginRun {
  connected: boolean;
  /** From opening the connection to the winner's stream features. */
  featuresMs?: number;
  /** From opening the connection to the initial presence written. */
  presenceMs?: number;
  winner?: string;
  error?: string;
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const isInitialPresence = (stanza: Element) => stanza.is('presence') && stanza.attrs.to === undefined && stanza.attrs.type === undefined;

async function once(job: LoginJob, ca: string): Promise<LoginRun> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'burrow-login-bench-'));
  let data: AccountData | undefined;
  try {
    data = await AccountData.open(dataDir, job.account.jid, { isContact: () => true, letGo: new LetGo(() => {}) });
    const session = await Session.open({ account: job.account.jid, outbox: data.outbox, history: data.history, archivePosition: data.archivePosition, onEvent: () => {} });
    const startedAt = performance.now();
    const { result } = await connectToCommunity({
      address: job.address,
      domain: job.domain,
      method: job.method,
      allowUnencrypted: false,
      trust: { extraCas: [ca] },
      discovery: false,
      deadlineMs: 20_000,
      ...(job.proxy ? { proxy: job.proxy } : {}),
    });
    const featuresMs = round(performance.now() - startedAt);
    if (!result.connected) return { connected: false, featuresMs, error: failureVerdict(result.diagnosis) };
    const { client } = result.connection;
    let presenceMs: number | undefined;
    const send = client.send.bind(client);
    client.send = (stanza: Element) => {
      if (presenceMs === undefined && isInitialPresence(stanza)) presenceMs = round(performance.now() - startedAt);
      return send(stanza);
    };
    await session.attach(client, { username: job.account.username, password: job.account.password });
    await session.signOut();
    return { connected: true, featuresMs, ...(presenceMs === undefined ? {} : { presenceMs }), winner: result.winner.path };
  } catch (error) {
    return { connected: false, error: errorWords(error) };
  } finally {
    await data?.close();
    // A file may still be landing in the account's folder after it closed (seen once in five runs
    // on ejabberd: ENOTEMPTY, which crashed the driver); the run's figures stand all the same.
    await rm(dataDir, { recursive: true, force: true, maxRetries: 5 });
  }
}

const job = JSON.parse(process.argv[2] ?? '{}') as LoginJob;
const ca = await readFile(job.caFile, 'utf8');
const runs: LoginRun[] = [];
for (let run = 0; run < job.runs; run += 1) {
  await new Promise((resolve) => setTimeout(resolve, job.pauseMs));
  runs.push(await once(job, ca));
}
process.stdout.write(`${JSON.stringify({ runs })}\n`);
// A stream just signed out may still hold a socket or a timer for a moment; the timings are out.
process.exit(0);
