/**
 * Runs inside the lab's client namespace (spawned by bench/bench.ts): connects N times with one
 * strategy and prints one line of JSON with the timings. Each run is timed from the call of
 * connectToCommunity to the winner's stream features, so process start and module loading never count.
 *
 *   node dist/bench/connect-driver.js '<DriverJob as JSON>'
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import { connectToCommunity } from '../electron/core/connection/connect.js';
import { failureVerdict } from '../electron/contract/diagnosis-words.js';
import type { ConnectRequest } from '../electron/core/connection/connect.js';
import type { Strategy } from '../electron/core/connection/race.js';
import { memoryWinnerStore, WinnerMemory } from '../electron/core/connection/winners.js';
import { errorWords } from '../electron/contract/error-words.js';
import type { PathJob } from './driver-process.js';

export interface DriverJob extends PathJob {
  strategy: Strategy;
  /** Look up SRV records and host-meta alongside the race (connect.ts's cold start). */
  discovery: boolean;
  /** Learn the winner in one untimed run first, then time runs that start from it. */
  warm: boolean;
  deadlineMs: number;
  /** Pause between runs, so that the server has let go of the previous session. */
  pauseMs: number;
}

export interface DriverRun {
  ms: number;
  connected: boolean;
  winner?: string;
  error?: string;
}

async function main(job: DriverJob): Promise<DriverRun[]> {
  const memory = job.warm ? { winners: new WinnerMemory(memoryWinnerStore()), community: 'bench', network: 'lab' } : undefined;
  const request: ConnectRequest = {
    address: job.address,
    domain: job.domain,
    method: job.method,
    allowUnencrypted: false,
    trust: { extraCas: [readFileSync(job.caFile, 'utf8')] },
    strategy: job.strategy,
    deadlineMs: job.deadlineMs,
    ...(job.proxy ? { proxy: job.proxy } : {}),
    ...(job.discovery ? {} : { discovery: false as const }),
    ...(memory ? { memory } : {}),
  };
  const once = async (): Promise<DriverRun> => {
    const startedAt = performance.now();
    try {
      const { result } = await connectToCommunity(request);
      const ms = Math.round((performance.now() - startedAt) * 10) / 10;
      if (!result.connected) return { ms, connected: false, error: failureVerdict(result.diagnosis) };
      await result.connection.client.stop();
      return { ms, connected: true, winner: result.winner.path };
    } catch (error) {
      return { ms: performance.now() - startedAt, connected: false, error: errorWords(error) };
    }
  };
  if (job.warm) await once();
  const runs: DriverRun[] = [];
  for (let run = 0; run < job.runs; run += 1) {
    await new Promise((resolve) => setTimeout(resolve, job.pauseMs));
    runs.push(await once());
  }
  return runs;
}

const job = JSON.parse(process.argv[2] ?? '{}') as DriverJob;
const runs = await main(job);
process.stdout.write(`${JSON.stringify({ runs })}\n`);
// Cancelled attempts may still hold a socket or a timer for a moment; the timings are out.
process.exit(0);
