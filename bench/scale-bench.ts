/**
 * The scale part of `npm run bench` (issue 17, "Fast at any size"), in one lab:
 * - cpuMsPerMessage: alice's and bob's cores chatting (scale-cpu.ts);
 * - rosterShownMs, hostRssMb: alice's roster seeded on the server with N contacts (roster-seed.ts),
 *   Burrow's page signing in afresh (scale-page.ts);
 * - openMs, sendToVisibleMs: alice's data folder filled with M messages with bob by a pluggable
 *   filler (conversation-fill.ts), then the page opening that conversation and sending in it;
 * - coreSendP50Ms, searchMs: the core's history alone, M messages in one conversation (scale-core.ts).
 * Each figure against its target; one that could not be measured says why, and the rest still run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { launchChromiumInLab } from '../lab/chromium-in-lab.js';
import type { Lab } from '../lab/lab.js';
import type { Account } from '../lab/server.js';
import { reasonOf, type BenchPart } from './bench-report.js';
import type { FillConversation } from './conversation-fill.js';
import { benchScaleCore, type ScaleCoreResult } from './scale-core.js';
import { scaleContacts, seedRoster } from './roster-seed.js';
import { measureCpuPerMessage } from './scale-cpu.js';
import { measureConversation, measureRosterShown, type Timed } from './scale-page.js';

/** Issue 17's targets: every figure is at most its target. */
export const scaleTargets = {
  rosterShownMs: 2_000,
  hostRssMb: 300,
  openMs: 500,
  sendToVisibleMs: 100,
  coreSendP50Ms: 5,
  searchMs: 200,
  cpuMsPerMessage: 2,
} as const;
export type ScaleFigure = keyof typeof scaleTargets;
const figureNames = Object.keys(scaleTargets) as ScaleFigure[];

export interface ScaleReport extends Record<ScaleFigure, number | null> {
  hostPeakRssMb: number | null;
  /** CPU per message in the first burst, in cores just signed in (cpuMsPerMessage is the warm one). */
  cpuMsPerMessageFirstBurst: number | null;
  /** CPU per message of every burst, in order (scale-cpu.ts): the warm-up can be seen. */
  cpuMsPerMessageBursts: number[];
  /** The core's history alone: fill, send, open, search and mark read, and the database's size. */
  core: ScaleCoreResult | null;
  openSamplesMs: number[];
  sendSamplesMs: number[];
  targets: typeof scaleTargets;
  /** Met, not met, or null when not measured. */
  met: Record<ScaleFigure, boolean | null>;
  /** Why a figure is null, or by how much it missed when its page step timed out ("not met: > N ms"). */
  reasons: Partial<Record<ScaleFigure, string>>;
  /** The steps that failed outright, if any (the bench then exits with 1). */
  error?: string;
}

export interface ScaleBenchOptions {
  contacts: number;
  messages: number;
  /** Messages in the CPU burst. */
  burst: number;
  /** Opens and sends timed, each. */
  repeats: number;
  fill: FillConversation;
  rosterTimeoutMs: number;
  openTimeoutMs: number;
  sendTimeoutMs: number;
}

/** What the figures so far are, and why the missing ones are missing. */
export class Figures {
  readonly values: Partial<Record<ScaleFigure, number>> = {};
  readonly reasons: Partial<Record<ScaleFigure, string>> = {};

  set(name: ScaleFigure, value: number | Timed): void {
    if (typeof value === 'number') this.values[name] = value;
    else if ('ms' in value) this.values[name] = value.ms;
    else this.reasons[name] = value.reason;
  }

  /** Runs one step; if it fails, its figures say so and the bench goes on. */
  async step(names: readonly ScaleFigure[], what: string, measure: () => Promise<void>): Promise<boolean> {
    try {
      await measure();
      return true;
    } catch (error) {
      const reason = `failed: ${what}: ${reasonOf(error)}`;
      console.error(`  ${reason}`);
      for (const name of names) this.reasons[name] ??= reason;
      return false;
    }
  }

  met(name: ScaleFigure): boolean | null {
    const value = this.values[name];
    if (value !== undefined) return value <= scaleTargets[name];
    return this.reasons[name]?.startsWith('not met') ? false : null;
  }
}

function accountNamed(lab: Lab, username: string): Account {
  const account = lab.accounts.find((candidate) => candidate.username === username);
  if (!account) throw new Error(`the lab has no account ${username}`);
  return account;
}

function table(report: ScaleReport, run: { server: string; delayMs: number; contacts: number; messages: number; burst: number; fillMs: number | null }): string {
  const lines = [
    `Scale bench (${run.server}, delay relay ${run.delayMs} ms each way): ${run.contacts} contacts; ${run.messages} messages with bob` +
      `${run.fillMs === null ? '' : ` (filled in ${Math.round(run.fillMs / 1000)} s)`}; CPU over a burst of ${run.burst}`,
    '',
    `${'figure'.padEnd(18)}${'value'.padStart(10)}${'target'.padStart(10)}  met`,
  ];
  for (const name of figureNames) {
    const met = report.met[name];
    const verdict = met === null ? report.reasons[name] ?? 'not measured' : met ? 'met' : `NOT met${report.reasons[name] ? ` (${report.reasons[name]})` : ''}`;
    lines.push(`${name.padEnd(18)}${String(report[name] ?? '-').padStart(10)}${`≤ ${scaleTargets[name]}`.padStart(10)}  ${verdict}`);
  }
  return lines.join('\n');
}

export async function scaleBench(lab: Lab, options: ScaleBenchOptions): Promise<BenchPart> {
  console.error(`scale (${lab.server})`);
  const figures = new Figures();
  const extra = {
    hostPeakRssMb: null as number | null,
    cpuMsPerMessageFirstBurst: null as number | null,
    cpuMsPerMessageBursts: [] as number[],
    openSamplesMs: [] as number[],
    sendSamplesMs: [] as number[],
    fillMs: null as number | null,
    core: null as ScaleCoreResult | null,
  };
  const alice = accountNamed(lab, 'alice');
  const bob = accountNamed(lab, 'bob');

  // First: chatting makes alice and bob contacts, which the seed then names.
  await figures.step(['cpuMsPerMessage'], 'two cores chatting', async () => {
    const { steadyMs, firstBurstMs, burstsMs } = await measureCpuPerMessage(lab, options.burst);
    figures.set('cpuMsPerMessage', steadyMs);
    extra.cpuMsPerMessageFirstBurst = firstBurstMs;
    extra.cpuMsPerMessageBursts = burstsMs;
  });
  console.error(`  cpu per message: ${figures.values.cpuMsPerMessage ?? '-'} ms warm, ${extra.cpuMsPerMessageFirstBurst ?? '-'} ms in the first burst (bursts: ${extra.cpuMsPerMessageBursts.join(', ')})`);

  const contacts = scaleContacts(lab, options.contacts);
  const peer = { jid: bob.jid, name: 'Bob' };
  const pageFigures: ScaleFigure[] = ['rosterShownMs', 'hostRssMb', 'openMs', 'sendToVisibleMs'];
  const seeded = await figures.step(pageFigures, `seeding ${options.contacts} contacts`, async () => {
    const { ms } = await seedRoster(lab, alice, [peer, ...contacts]);
    console.error(`  seeded ${contacts.length + 1} contacts in ${ms} ms`);
  });

  if (seeded) {
    const workDir = await mkdtemp(path.join(tmpdir(), 'burrow-scale-chromium-'));
    try {
      const browser = await launchChromiumInLab(workDir);
      try {
        const first = contacts[0]!;
        await figures.step(['rosterShownMs', 'hostRssMb'], 'the roster in the page', async () => {
          // Bob sorts before the seeded contacts: they are all there once the list holds them and him.
          const roster = await measureRosterShown(browser, lab, alice, first.name, contacts.length + 1, options.rosterTimeoutMs);
          figures.set('rosterShownMs', roster.rosterShown);
          figures.set('hostRssMb', roster.hostRssMb);
          extra.hostPeakRssMb = roster.hostPeakRssMb;
          console.error(`  roster shown: ${figures.values.rosterShownMs ?? figures.reasons.rosterShownMs} ms; host RSS ${roster.hostRssMb} MB (peak ${roster.hostPeakRssMb})`);
        });
        await figures.step(['openMs', 'sendToVisibleMs'], `a conversation of ${options.messages} messages in the page`, async () => {
          const conversation = await measureConversation(browser, lab, {
            account: alice,
            peer,
            other: first,
            messages: options.messages,
            fill: options.fill,
            repeats: options.repeats,
            openTimeoutMs: options.openTimeoutMs,
            sendTimeoutMs: options.sendTimeoutMs,
          });
          figures.set('openMs', conversation.open);
          figures.set('sendToVisibleMs', conversation.sendToVisible);
          Object.assign(extra, { openSamplesMs: conversation.openSamplesMs, sendSamplesMs: conversation.sendSamplesMs, fillMs: conversation.fillMs });
          console.error(`  open: ${conversation.openSamplesMs.join(', ') || '-'} ms; send to visible: ${conversation.sendSamplesMs.join(', ') || '-'} ms`);
        });
      } finally {
        await browser.close();
      }
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  await figures.step(['coreSendP50Ms', 'searchMs'], `the core's history with ${options.messages} messages`, async () => {
    const core = await benchScaleCore({ messages: options.messages });
    if (core.coreSendP50Ms !== null) figures.set('coreSendP50Ms', core.coreSendP50Ms);
    if (core.searchMs !== null) figures.set('searchMs', core.searchMs);
    extra.core = core;
    console.error(`  core: send p50 ${core.coreSendP50Ms} ms, search ${core.searchMs} ms, open ${core.coreOpenMs} ms, mark read ${core.markReadMs} ms`);
  });

  const report: ScaleReport = {
    ...(Object.fromEntries(figureNames.map((name) => [name, figures.values[name] ?? null])) as Record<ScaleFigure, number | null>),
    hostPeakRssMb: extra.hostPeakRssMb,
    cpuMsPerMessageFirstBurst: extra.cpuMsPerMessageFirstBurst,
    cpuMsPerMessageBursts: extra.cpuMsPerMessageBursts,
    core: extra.core,
    openSamplesMs: extra.openSamplesMs,
    sendSamplesMs: extra.sendSamplesMs,
    targets: scaleTargets,
    met: Object.fromEntries(figureNames.map((name) => [name, figures.met(name)])) as Record<ScaleFigure, boolean | null>,
    reasons: figures.reasons,
  };
  const failures = [...new Set(Object.values(figures.reasons).filter((reason) => reason.startsWith('failed')))];
  if (failures.length > 0) report.error = failures.join('; ');
  const run = {
    server: lab.server,
    delayMs: lab.delayMs,
    contacts: options.contacts,
    messages: options.messages,
    burst: options.burst,
    repeats: options.repeats,
    fillMs: extra.fillMs,
    at: new Date().toISOString(),
  };
  return { table: table(report, run), report: { scale: report, scaleRun: run }, figures: {} };
}
