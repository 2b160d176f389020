/**
 * npm run bench (the connect part): in the lab with the delay relay (default 25 ms each way), for
 * S1, S3 and S5, times the cold race as the app runs it (discovery alongside), the same race without
 * discovery, the sequential baseline, the best path configured by hand and the warm start from the
 * remembered winner, each as the median of N runs measured in one go.
 * Prints a table and the ratios, writes reports/bench.json (keeping its other keys) and
 * reports/bench-connect.svg.
 *
 *   node dist/bench/bench.js [--runs 7] [--delay-ms 25] [--scenarios S1,S3,S5] [--sequential-timeout-ms 5000] [--wait-for-lab-s 600]
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import type { ProxySettings } from '../electron/core/connection/candidate.js';
import type { ConnectionMethod } from '../electron/core/connection/plan.js';
import { parseProxyUrl } from '../electron/core/connection/routes/proxy-url.js';
import { startLab } from '../lab/lab.js';
import type { Lab, ScenarioId } from '../lab/lab.js';
import type { DriverJob, DriverRun } from './connect-driver.js';
import { barChartSvg } from './svg.js';

export interface ConnectRow {
  scenario: ScenarioId;
  strategy: string;
  medianMs: number | null;
  runs: number;
  /** Runs that did not connect (left out of the median). */
  failures: number;
  samplesMs: number[];
  /** The path that won most often. */
  path?: string;
}

export interface ConnectRatios {
  scenario: ScenarioId;
  /** Which hand-configured path was the best one. */
  best: string;
  raceOverBest: number | null;
  sequentialOverRace: number | null;
  warmOverBest: number | null;
}

interface HandPath {
  name: string;
  address: string;
}

interface ScenarioBench {
  id: ScenarioId;
  method: ConnectionMethod;
  proxy?: ProxySettings;
  hand: HandPath[];
}

const here = dirname(fileURLToPath(import.meta.url));
const driver = join(here, 'connect-driver.js');
const reportsDir = 'reports';

function scenarioBenches(lab: Lab): ScenarioBench[] {
  const host = lab.domain;
  const wss: HandPath = { name: 'best: wss 443', address: `wss://${host}:443/xmpp-websocket` };
  const bosh: HandPath = { name: 'best: BOSH 443', address: `https://${host}:443/http-bind` };
  return [
    { id: 'S1', method: 'automatic', hand: [{ name: 'best: direct TLS 5223', address: `xmpps://${host}:5223` }] },
    { id: 'S3', method: 'automatic', hand: [wss, bosh] },
    { id: 'S5', method: 'proxy', proxy: parseProxyUrl(lab.proxies.http.url), hand: [wss, bosh] },
  ];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.toSorted((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(value * 10) / 10;
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function runDriver(lab: Lab, job: DriverJob): Promise<DriverRun[]> {
  return new Promise((resolve, reject) => {
    const child = lab.spawnInClient(process.execPath, [driver, JSON.stringify(job)]);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), (job.runs + 1) * (job.deadlineMs + 5_000));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve((JSON.parse(line) as { runs: DriverRun[] }).runs);
      } catch {
        reject(new Error(`the driver exited with ${code}: ${stderr.trim() || stdout.trim()}`));
      }
    });
  });
}

function row(scenario: ScenarioId, strategy: string, runs: DriverRun[]): ConnectRow {
  const connected = runs.filter((run) => run.connected);
  const path = mostCommon(connected.flatMap((run) => (run.winner ? [run.winner] : [])));
  return {
    scenario,
    strategy,
    medianMs: median(connected.map((run) => run.ms)),
    runs: runs.length,
    failures: runs.length - connected.length,
    samplesMs: runs.map((run) => run.ms),
    ...(path ? { path } : {}),
  };
}

const ratio = (a: number | null | undefined, b: number | null | undefined) =>
  a == null || b == null || b === 0 ? null : Math.round((a / b) * 100) / 100;

async function benchScenario(lab: Lab, bench: ScenarioBench, options: { runs: number; sequentialTimeoutMs: number }) {
  await lab.applyScenario(bench.id);
  const base = {
    runs: options.runs,
    domain: lab.domain,
    method: bench.method,
    caFile: lab.caFile,
    deadlineMs: 20_000,
    pauseMs: 100,
    discovery: true,
    warm: false,
    strategy: { kind: 'race', attemptDelayMs: 250 },
    ...(bench.proxy ? { proxy: bench.proxy } : {}),
  } satisfies Omit<DriverJob, 'address'>;
  const measure = async (strategy: string, job: Partial<DriverJob>): Promise<ConnectRow> => {
    const measured = row(bench.id, strategy, await runDriver(lab, { ...base, address: lab.domain, ...job }));
    console.error(`  ${bench.id} ${strategy.padEnd(24)} ${String(measured.medianMs ?? 'failed').padStart(8)} ms  ${measured.path ?? ''}`);
    return measured;
  };
  const rows: ConnectRow[] = [];
  for (const hand of bench.hand) rows.push(await measure(hand.name, { address: hand.address }));
  const bestHand = rows
    .filter((measured) => measured.medianMs !== null)
    .toSorted((a, b) => (a.medianMs ?? 0) - (b.medianMs ?? 0))[0];
  rows.push({ ...(bestHand ?? row(bench.id, 'best', [])), strategy: 'best' });
  const race = await measure('race', {});
  const warm = await measure('warm', { warm: true });
  const sequential = await measure('sequential', { strategy: { kind: 'sequential', attemptTimeoutMs: options.sequentialTimeoutMs } });
  const undiscovered = await measure('race without discovery', { discovery: false });
  rows.push(race, warm, sequential, undiscovered);
  const ratios: ConnectRatios = {
    scenario: bench.id,
    best: bestHand?.strategy.replace(/^best: /, '') ?? 'none',
    raceOverBest: ratio(race.medianMs, bestHand?.medianMs),
    sequentialOverRace: ratio(sequential.medianMs, race.medianMs),
    warmOverBest: ratio(warm.medianMs, bestHand?.medianMs),
  };
  return { rows, ratios };
}

function table(rows: ConnectRow[], ratios: ConnectRatios[], delayMs: number, sequentialTimeoutMs: number): string {
  const lines = [
    `Connect bench: delay relay ${delayMs} ms each way; median of ${rows[0]?.runs ?? 0} runs; time to the winner's stream features`,
    `(sequential: each attempt waits out ${sequentialTimeoutMs} ms; "race" is the cold start as the app runs it, SRV and host-meta looked up alongside; ` +
      '"race without discovery" races the default endpoints only)',
    '',
    `${'scenario'.padEnd(9)}${'strategy'.padEnd(24)}${'median ms'.padStart(10)}  ${'ok'.padStart(5)}  path`,
  ];
  for (const measured of rows) {
    const ok = `${measured.runs - measured.failures}/${measured.runs}`;
    lines.push(
      `${measured.scenario.padEnd(9)}${measured.strategy.padEnd(24)}${String(measured.medianMs ?? '-').padStart(10)}  ${ok.padStart(5)}  ${measured.path ?? ''}`,
    );
  }
  lines.push('', `${'scenario'.padEnd(9)}${'best path'.padEnd(20)}${'race/best'.padStart(10)}${'seq/race'.padStart(10)}${'warm/best'.padStart(10)}`);
  for (const ratioRow of ratios) {
    lines.push(
      `${ratioRow.scenario.padEnd(9)}${ratioRow.best.padEnd(20)}${String(ratioRow.raceOverBest ?? '-').padStart(10)}` +
        `${String(ratioRow.sequentialOverRace ?? '-').padStart(10)}${String(ratioRow.warmOverBest ?? '-').padStart(10)}`,
    );
  }
  const s3 = ratios.find((ratioRow) => ratioRow.scenario === 'S3');
  if (s3) {
    const check = (ok: boolean) => (ok ? 'met' : 'NOT met');
    lines.push(
      '',
      `S3 targets: race ≤ 1.3 × best: ${check((s3.raceOverBest ?? Infinity) <= 1.3)}; ` +
        `sequential ≥ 5 × race: ${check((s3.sequentialOverRace ?? 0) >= 5)}; warm ≤ 1.1 × best: ${check((s3.warmOverBest ?? Infinity) <= 1.1)}`,
    );
  }
  return lines.join('\n');
}

function writeReport(rows: ConnectRow[], ratios: ConnectRatios[], meta: Record<string, unknown>): void {
  mkdirSync(reportsDir, { recursive: true });
  const file = join(reportsDir, 'bench.json');
  let existing: Record<string, unknown> = {};
  try {
    existing = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    // No report yet, or an unreadable one: start afresh.
  }
  writeFileSync(file, `${JSON.stringify({ ...existing, connect: rows, connectRatios: ratios, connectRun: meta }, null, 2)}\n`);
  const shown = ['race', 'best', 'warm', 'sequential'];
  const svg = barChartSvg({
    title: `Time to stream features (median, ms, log scale), delay ${String(meta['delayMs'])} ms each way`,
    groups: [...new Set(rows.map((measured) => measured.scenario))].map((scenario) => ({
      label: scenario,
      bars: shown.map((strategy) => ({
        label: strategy,
        value: rows.find((measured) => measured.scenario === scenario && measured.strategy === strategy)?.medianMs ?? null,
      })),
    })),
  });
  writeFileSync(join(reportsDir, 'bench-connect.svg'), svg);
}

/** The lab is one per machine: while another run (a test suite, say) owns it, wait for it rather than fail. */
async function startLabWhenFree(delayMs: number, waitMs: number): Promise<Lab> {
  const giveUpAt = Date.now() + waitMs;
  for (;;) {
    try {
      return await startLab({ scenario: 'S1', delayMs });
    } catch (error) {
      const busy = error instanceof Error && /another lab is running/.test(error.message);
      if (!busy || Date.now() > giveUpAt) throw error;
      console.error(`${error.message}; waiting for it`);
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '7' },
      'delay-ms': { type: 'string', default: '25' },
      scenarios: { type: 'string', default: 'S1,S3,S5' },
      'sequential-timeout-ms': { type: 'string', default: '5000' },
      'wait-for-lab-s': { type: 'string', default: '600' },
    },
  });
  const runs = Number(values.runs);
  const delayMs = Number(values['delay-ms']);
  const sequentialTimeoutMs = Number(values['sequential-timeout-ms']);
  const wanted = values.scenarios.split(',').map((id) => id.trim());
  const lab = await startLabWhenFree(delayMs, Number(values['wait-for-lab-s']) * 1000);
  try {
    const rows: ConnectRow[] = [];
    const ratios: ConnectRatios[] = [];
    for (const bench of scenarioBenches(lab).filter((candidate) => wanted.includes(candidate.id))) {
      console.error(`${bench.id} (${lab.scenario.id === bench.id ? 'current' : 'applying'})`);
      const measured = await benchScenario(lab, bench, { runs, sequentialTimeoutMs });
      rows.push(...measured.rows);
      ratios.push(measured.ratios);
    }
    console.log(table(rows, ratios, delayMs, sequentialTimeoutMs));
    writeReport(rows, ratios, { delayMs, runs, sequentialTimeoutMs, attemptDelayMs: 250, at: new Date().toISOString() });
    return 0;
  } finally {
    await lab.stop();
  }
}

process.exitCode = await main();
