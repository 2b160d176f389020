/**
 * The login part of `npm run bench`: per server and per path, round trips from the first byte sent
 * to the initial presence sent, as a fresh sign-in makes them (no stream to resume).
 *
 * How round trips are counted: the lab's delay relay holds every chunk `delayMs` each way but does
 * not delay the TCP handshake (the kernel completes it before the relay reads anything), so the
 * time from opening the connection is the time from the first byte sent. It is divided by the
 * path's own round trip, measured on the signed-in stream (stream-management acks). Through the
 * proxy, the CONNECT exchange goes to the proxy only, which the relay delays once rather than
 * twice: it counts as one round trip. A real network adds the TCP handshake: `realNetworkRtts`.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
  /** Median time from the first byte sent to presence sent. */
  ms: number | null;
  /** With the TCP handshake a real network adds. */
  realNetworkRtts: number | null;
  /** The fewest a client could need with Prosody 0.12 or ejabberd 23.01 on a real network (issue 17). */
  minimumRtts: number;
  pathRttMs: number | null;
  featuresMs: number | null;
  runs: number;
  failures: number;
  error?: string;
}

interface LoginPath {
  name: string;
  address: string;
  minimumRtts: number;
  method?: ConnectionMethod;
  proxy?: ProxySettings;
}

const here = dirname(fileURLToPath(import.meta.url));
const driver = join(here, 'login-driver.js');
const tenth = (value: number) => Math.round(value * 10) / 10;

function loginPaths(lab: Lab): LoginPath[] {
  const { domain, endpoints } = lab;
  return [
    { name: 'direct TLS', address: `xmpps://${domain}:5223`, minimumRtts: 7 },
    { name: 'STARTTLS', address: `xmpp://${domain}:5222`, minimumRtts: 9 },
    { name: 'WebSocket', address: endpoints.websocket, minimumRtts: 8 },
    { name: 'BOSH', address: endpoints.bosh, minimumRtts: 7 },
    // A CONNECT proxy adds its TCP handshake and the CONNECT exchange to the path it carries.
    { name: 'BOSH via CONNECT proxy', address: endpoints.bosh, minimumRtts: 9, method: 'proxy', proxy: parseProxyUrl(lab.proxies.http.url) },
  ];
}

function roundTrips(path: LoginPath, ms: number | null, pathRttMs: number | null): number | null {
  if (ms === null || pathRttMs === null || pathRttMs <= 0) return null;
  if (!path.proxy) return tenth(ms / pathRttMs);
  // The CONNECT exchange, one round trip to the proxy alone: half the path's in the lab.
  return tenth(1 + (ms - pathRttMs / 2) / pathRttMs);
}

async function measurePath(lab: Lab, path: LoginPath, runs: number): Promise<LoginRow> {
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
  const base = { server: lab.server, path: path.name, minimumRtts: path.minimumRtts, runs };
  let measured: LoginRun[];
  try {
    measured = await runDriverInClient<LoginRun>(lab, driver, job, runs * 30_000 + 10_000);
  } catch (error) {
    return { ...base, rtts: null, ms: null, realNetworkRtts: null, pathRttMs: null, featuresMs: null, failures: runs, error: reasonOf(error) };
  }
  const signedIn = measured.filter((run) => run.connected && run.presenceMs !== undefined);
  const ms = median(signedIn.map((run) => run.presenceMs!));
  const pathRttMs = median(signedIn.flatMap((run) => (run.pathRttMs === undefined ? [] : [run.pathRttMs])));
  const rtts = roundTrips(path, ms, pathRttMs);
  const error = measured.find((run) => run.error)?.error;
  return {
    ...base,
    rtts,
    ms,
    realNetworkRtts: rtts === null ? null : tenth(rtts + 1),
    pathRttMs,
    featuresMs: median(signedIn.flatMap((run) => (run.featuresMs === undefined ? [] : [run.featuresMs]))),
    failures: measured.length - signedIn.length,
    ...(error ? { error } : {}),
  };
}

function table(rows: LoginRow[], delayMs: number, runs: number): string {
  const lines = [
    `Login bench: delay relay ${delayMs} ms each way (TCP handshakes not delayed); median of ${runs} fresh sign-ins; first byte sent → initial presence sent`,
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
  runs: number;
}

/** `startLab` starts the lab for one server (open network, with the delay relay). */
export async function loginBench(startLab: (server: ServerKind) => Promise<Lab>, options: LoginBenchOptions): Promise<BenchPart> {
  const rows: LoginRow[] = [];
  let delayMs = 0;
  for (const server of options.servers) {
    const lab = await startLab(server);
    try {
      delayMs = lab.delayMs;
      for (const path of loginPaths(lab)) {
        const row = await measurePath(lab, path, options.runs);
        console.error(`  ${server} ${path.name.padEnd(24)} ${String(row.ms ?? 'failed').padStart(8)} ms  ${row.rtts ?? '-'} round trips  ${row.error ?? ''}`);
        rows.push(row);
      }
    } finally {
      await lab.stop();
    }
  }
  return {
    table: table(rows, delayMs, options.runs),
    report: { login: rows, loginRun: { delayMs, runs: options.runs, tcpHandshakeDelayed: false, at: new Date().toISOString() } },
    figures: {},
  };
}
