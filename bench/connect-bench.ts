/**
 * The connect part of `npm run bench`: for S1, S3 and S5, times the cold race as the app runs it
 * (discovery alongside), the same race without discovery, the sequential baseline, the best path
 * configured by hand and the warm start from the remembered winner, each as the median of N runs
 * measured in one go. Returns the table, the report's keys and the figure.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { ProxySettings } from '../electron/core/connection/candidate.js';
import type { ConnectionMethod } from '../electron/core/connection/plan.js';
import { parseProxyUrl } from '../electron/core/connection/routes/proxy-url.js';
import type { Lab, ScenarioId } from '../lab/lab.js';
import type { DriverJob, DriverRun } from './connect-driver.js';
import { reasonOf, type BenchPart } from './bench-report.js';
import { runDriverInClient } from './driver-process.js';
import { median, ratio } from './statistics.js';
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
  /** Why this row could not be measured at all (the driver failed), when it could not. */
  error?: string;
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

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function runDriver(lab: Lab, job: DriverJob): Promise<DriverRun[]> {
  return runDriverInClient<DriverRun>(lab, driver, job, (job.runs + 1) * (job.deadlineMs + 5_000));
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
    let measured: ConnectRow;
    try {
      measured = row(bench.id, strategy, await runDriver(lab, { ...base, address: lab.domain, ...job }));
    } catch (error) {
      measured = { ...row(bench.id, strategy, []), runs: options.runs, failures: options.runs, error: reasonOf(error) };
    }
    console.error(`  ${bench.id} ${strategy.padEnd(24)} ${String(measured.medianMs ?? 'failed').padStart(8)} ms  ${measured.error ?? measured.path ?? ''}`);
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
      `${measured.scenario.padEnd(9)}${measured.strategy.padEnd(24)}${String(measured.medianMs ?? '-').padStart(10)}  ${ok.padStart(5)}  ${measured.error ? `failed: ${measured.error}` : (measured.path ?? '')}`,
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

function figure(rows: ConnectRow[], delayMs: number): string {
  const shown = ['race', 'best', 'warm', 'sequential'];
  return barChartSvg({
    title: `Time to stream features (median, ms, log scale), delay ${delayMs} ms each way`,
    groups: [...new Set(rows.map((measured) => measured.scenario))].map((scenario) => ({
      label: scenario,
      bars: shown.map((strategy) => ({
        label: strategy,
        value: rows.find((measured) => measured.scenario === scenario && measured.strategy === strategy)?.medianMs ?? null,
      })),
    })),
  });
}

export interface ConnectBenchOptions {
  runs: number;
  scenarios: string[];
  sequentialTimeoutMs: number;
}

export async function connectBench(lab: Lab, options: ConnectBenchOptions): Promise<BenchPart> {
  const rows: ConnectRow[] = [];
  const ratios: ConnectRatios[] = [];
  for (const bench of scenarioBenches(lab).filter((candidate) => options.scenarios.includes(candidate.id))) {
    console.error(`${bench.id} (${lab.scenario.id === bench.id ? 'current' : 'applying'})`);
    const measured = await benchScenario(lab, bench, options);
    rows.push(...measured.rows);
    ratios.push(measured.ratios);
  }
  return {
    table: table(rows, ratios, lab.delayMs, options.sequentialTimeoutMs),
    report: {
      connect: rows,
      connectRatios: ratios,
      connectRun: { delayMs: lab.delayMs, runs: options.runs, sequentialTimeoutMs: options.sequentialTimeoutMs, attemptDelayMs: 250, at: new Date().toISOString() },
    },
    figures: { 'bench-connect.svg': figure(rows, lab.delayMs) },
  };
}
