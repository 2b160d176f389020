/**
 * The login part of `npm run bench`: per server and per path, round trips from the first byte sent
 * to the initial presence sent, as a fresh sign-in makes them (no stream to resume).
 *
 * How round trips are counted: the lab's delay relay holds every chunk `delayMs` each way but does
 * not delay the TCP handshake (the kernel completes it before the relay reads anything), so the
 * time from opening the connection is the time from the first byte sent. Every sign-in is timed
 * twice, with the relay at `delayMs` and at three times that: each round trip then takes
 * 4 × `delayMs` longer, and the round trips are the extra time over that. Processing (TLS, SCRAM
 * and XML, Burrow's and the server's) is the same in both and drops out, as do the stalls of
 * Nagle's algorithm that a lab without the relay would add. A real network adds the TCP
 * handshake: `realNetworkRtts`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { errorWords } from '../electron/contract/error-words.js';
import type { ConnectionMethod } from '../electron/core/connection/plan.js';
import { parseProxyUrl } from '../electron/core/connection/routes/proxy-url.js';
import type { ProxySettings } from '../electron/core/connection/candidate.js';
import type { Lab, ServerKind } from '../lab/lab.js';
import { reasonOf, type BenchPart } from './bench-report.js';
import { runDriverInClient } from './driver-process.js';
import type { LoginJob, LoginRun } from './login-driver.js';
import { median } from './statistics.js';

export interface LoginRow {
  server: ServerKind;
  path: string;
  /** Round trips from the first byte sent to presence sent, the TCP handshake not counted (the relay does not delay it). */
  rtts: number | null;
  /** Median time from the first byte sent to presence sent, at the run's delay. */
  ms: number | null;
  /** The same at three times the delay: the slope between the two gives `rtts`. */
  slowerMs: number | null;
  /** With the TCP handshake a real network adds. */
  realNetworkRtts: number | null;
  /** The fewest a client could need with Prosody 0.12 or ejabberd 23.01 on a real network (issue 17). */
  minimumRtts: number;
  featuresMs: number | null;
  runs: number;
  failures: number;
  error?: string;
}

interface LoginPath {
  name: string;
  address: string;
  method?: ConnectionMethod;
  proxy?: ProxySettings;
}

const here = dirname(fileURLToPath(import.meta.url));
const driver = join(here, 'login-driver.js');
const tenth = (value: number) => Math.round(value * 10) / 10;

/** The fewest round trips on a real network with Prosody 0.12 or ejabberd 23.01 (issue 17); a CONNECT proxy adds its handshake and CONNECT. */
const minimumRtts: Record<string, number> = { 'direct TLS': 7, STARTTLS: 9, WebSocket: 8, BOSH: 7, 'BOSH via CONNECT proxy': 9 };

function loginPaths(lab: Lab): LoginPath[] {
  const { domain, endpoints } = lab;
  return [
    { name: 'direct TLS', address: `xmpps://${domain}:5223` },
    { name: 'STARTTLS', address: `xmpp://${domain}:5222` },
    { name: 'WebSocket', address: endpoints.websocket },
    { name: 'BOSH', address: endpoints.bosh },
    { name: 'BOSH via CONNECT proxy', address: endpoints.bosh, method: 'proxy', proxy: parseProxyUrl(lab.proxies.http.url) },
  ];
}

/** The sign-in's round trips: its extra time over the extra time of one round trip between the two delays. */
function roundTrips(at: PathTimes, slower: PathTimes | undefined, extraRttMs: number): number | null {
  if (at.ms === null || slower?.ms == null || extraRttMs <= 0) return null;
  return tenth((slower.ms - at.ms) / extraRttMs);
}

interface PathTimes {
  /** Median time from the first byte sent to presence sent. */
  ms: number | null;
  featuresMs: number | null;
  failures: number;
  error?: string;
}

async function timePath(lab: Lab, path: LoginPath, runs: number): Promise<PathTimes> {
  const account = lab.accounts[0]!;
  const job: LoginJob = {
    runs,
    address: path.address,
    domain: lab.domain,
    method: path.method ?? 'automatic',
    caFile: lab.caFile,
    account,
    pauseMs: 200,
    ...(path.proxy ? { proxy: path.proxy } : {}),
  };
  let measured: LoginRun[];
  try {
    measured = await runDriverInClient<LoginRun>(lab, driver, job, runs * 30_000 + 10_000);
  } catch (error) {
    // The table keeps the first line; a driver that crashed says why only in the rest (its stack).
    console.error(`  ${lab.server} ${path.name}: ${errorWords(error)}`);
    return { ms: null, featuresMs: null, failures: runs, error: reasonOf(error) };
  }
  const signedIn = measured.filter((run) => run.connected && run.presenceMs !== undefined);
  const error = measured.find((run) => run.error)?.error;
  return {
    ms: median(signedIn.map((run) => run.presenceMs!)),
    featuresMs: median(signedIn.flatMap((run) => (run.featuresMs === undefined ? [] : [run.featuresMs]))),
    failures: measured.length - signedIn.length,
    ...(error ? { error } : {}),
  };
}

/** Times every path in a lab started by `startLab`, stopping it after. */
async function timePaths(startLab: () => Promise<Lab>, runs: number): Promise<Map<string, PathTimes>> {
  const lab = await startLab();
  try {
    const times = new Map<string, PathTimes>();
    for (const path of loginPaths(lab)) {
      const measured = await timePath(lab, path, runs);
      console.error(`  ${lab.server} ${path.name.padEnd(24)} ${String(measured.ms ?? 'failed').padStart(8)} ms at ${lab.delayMs} ms each way  ${measured.error ?? ''}`);
      times.set(path.name, measured);
    }
    return times;
  } finally {
    await lab.stop();
  }
}

function table(rows: LoginRow[], delayMs: number, runs: number): string {
  const lines = [
    `Login bench: delay relay ${delayMs} ms each way (TCP handshakes not delayed); median of ${runs} fresh sign-ins; first byte sent → initial presence sent;`,
    `rtts = (ms at ${3 * delayMs} ms − ms at ${delayMs} ms) / ${4 * delayMs} ms, the extra time of a round trip: processing drops out; real = rtts + the TCP handshake`,
    '',
    `${'server'.padEnd(10)}${'path'.padEnd(24)}${'ms'.padStart(8)}${'rtts'.padStart(7)}${'real'.padStart(7)}${'min'.padStart(6)}  target (real ≤ min + 1)`,
  ];
  for (const row of rows) {
    const met = row.realNetworkRtts === null ? `failed: ${row.error ?? 'no run signed in'}` : row.realNetworkRtts <= row.minimumRtts + 1 ? 'met' : 'NOT met';
    lines.push(
      `${row.server.padEnd(10)}${row.path.padEnd(24)}${String(row.ms ?? '-').padStart(8)}${String(row.rtts ?? '-').padStart(7)}` +
        `${String(row.realNetworkRtts ?? '-').padStart(7)}${String(row.minimumRtts).padStart(6)}  ${met}`,
    );
  }
  return lines.join('\n');
}

export interface LoginBenchOptions {
  servers: readonly ServerKind[];
  delayMs: number;
  runs: number;
}

/** `startLab` starts the lab for one server (open network) with the delay relay at `delayMs`. */
export async function loginBench(startLab: (server: ServerKind, delayMs: number) => Promise<Lab>, options: LoginBenchOptions): Promise<BenchPart> {
  const rows: LoginRow[] = [];
  for (const server of options.servers) {
    const atDelay = await timePaths(() => startLab(server, options.delayMs), options.runs);
    const slower = await timePaths(() => startLab(server, 3 * options.delayMs), options.runs);
    for (const [name, times] of atDelay) {
      const slowerTimes = slower.get(name);
      const rtts = roundTrips(times, slowerTimes, 4 * options.delayMs);
      const error = times.error ?? slowerTimes?.error;
      rows.push({
        server,
        path: name,
        rtts,
        ms: times.ms,
        slowerMs: slowerTimes?.ms ?? null,
        realNetworkRtts: rtts === null ? null : tenth(rtts + 1),
        minimumRtts: minimumRtts[name] ?? 0,
        featuresMs: times.featuresMs,
        runs: options.runs,
        failures: times.failures + (slowerTimes?.failures ?? options.runs),
        ...(error ? { error } : {}),
      });
    }
  }
  return {
    table: table(rows, options.delayMs, options.runs),
    report: { login: rows, loginRun: { delayMs: options.delayMs, slowerDelayMs: 3 * options.delayMs, runs: options.runs, tcpHandshakeDelayed: false, at: new Date().toISOString() } },
    figures: {},
  };
}
