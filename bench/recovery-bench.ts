/**
 * The recovery part of `npm run bench`: on each server, two whole Burrow cores (alice and bob,
 * method "Automatic") chat both ways without pause while the lab cuts their path again and again,
 * alternately the direct ports (5222, 5223) and 443, so that every cut forces a switch of transport.
 * A cut's recovery time runs from the cut to the moment messages flow again both ways: the first
 * message sent after the cut has arrived in each direction (the later of the two). Then, with
 * nobody typing, one more cut (idle detection: until both are connected on another path), and a
 * server restart (until both are connected again, from the moment the server answers). Last, the
 * histories are tallied: every message sent arrived exactly once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { onlinePath, type AccountView, type MessageView } from '../electron/contract/contract.js';
import type { Lab, ServerKind } from '../lab/lab.js';
import { reasonOf, type BenchPart } from './bench-report.js';
import { addEachOther, DrivenCore } from './core-client.js';
import { percentile } from './statistics.js';
import { barChartSvg } from './svg.js';

export interface RecoveryRow {
  server: string;
  cuts: number;
  /** Recovery time of the cuts made with messages flowing (ms): median and worst. */
  p50Ms: number | null;
  maxMs: number | null;
  cutsMs: (number | null)[];
  /** With nobody typing: from the cut until both accounts are connected on another path. */
  idleMs: number | null;
  /** From the restarted server answering until both accounts are connected again. */
  restartMs: number | null;
  sent: number;
  lost: number | null;
  duplicated: number | null;
  /** Why the run stopped early, when it did. */
  error?: string;
}

export interface RecoveryBenchOptions {
  servers: ServerKind[];
  cuts: number;
  /** Each sender sends one message this often. */
  intervalMs: number;
}

/** Starts the lab with `server` as the XMPP server; the caller stops it. */
export type LabForServer = (server: ServerKind) => Promise<Lab>;

const communityId = 'bench';
const recoveryTimeoutMs = 60_000;
const directPorts = [5222, 5223];
const httpsPorts = [443];

type Name = 'alice' | 'bob';

/** One account's core, every state it went through, and when each message sent to it arrived. */
class Chatter {
  readonly states: AccountView[] = [];
  /** When each of `states` came (ms since the epoch). */
  private readonly changedAt: number[] = [];
  readonly arrivedAt = new Map<string, number>();
  private readonly waiters = new Set<() => void>();

  constructor(
    readonly name: Name,
    readonly jid: string,
    readonly core: DrivenCore,
  ) {
    // The account may have changed state before this chatter began listening.
    const before = core.latestOf('account:changed');
    if (before) this.record(before);
    core.on('account:changed', (state) => {
      this.record(state);
      this.wake();
    });
    core.on('chat:message', (message: MessageView) => {
      if (message.direction === 'in' && !this.arrivedAt.has(message.body)) this.arrivedAt.set(message.body, Date.now());
      this.wake();
    });
  }

  get current(): AccountView | undefined {
    return this.states.at(-1);
  }

  /** Resolves once `test` holds, checked after every event; fails after `timeoutMs`. */
  until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!test()) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`${this.name}: timed out after ${timeoutMs} ms waiting for ${what} (last state: ${describe(this.current)})`));
      }, timeoutMs);
      this.waiters.add(check);
    });
  }

  /** The account's way since `since`, each change with its time after it: "reconnecting (connection-lost) +1.6 s → online … (resumed) +2.3 s". */
  journeySince(since: number): string {
    const steps = this.states
      .map((view, i) => ({ step: describe(view), at: this.changedAt[i]! }))
      .filter(({ at }) => at >= since)
      .filter(({ step }, i, all) => step !== all[i - 1]?.step);
    return steps.map(({ step, at }) => `${step} +${((at - since) / 1000).toFixed(1)} s`).join(' → ');
  }

  private record(view: AccountView): void {
    this.states.push(view);
    this.changedAt.push(Date.now());
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

function describe(view: AccountView | undefined): string {
  if (!view) return 'none';
  const { lifecycle } = view;
  if (lifecycle.state === 'online') return `online ${onlinePath(lifecycle)}${lifecycle.resumed ? ' (resumed)' : ''}`;
  return 'cause' in lifecycle ? `${lifecycle.state} (${lifecycle.cause.kind})` : lifecycle.state;
}

const pathOf = (view: AccountView | undefined) => (view ? onlinePath(view.lifecycle) : null);

/** Sends from one account to the other every `intervalMs` until stopped, noting when each message went. */
class Flow {
  readonly sentAt = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<unknown> = Promise.resolve();
  failure: Error | null = null;

  constructor(
    private readonly from: Chatter,
    private readonly to: Chatter,
  ) {}

  start(intervalMs: number): void {
    this.timer = setInterval(() => {
      const body = `${this.from.name} #${String(this.sentAt.size).padStart(5, '0')}`;
      this.sentAt.set(body, Date.now());
      // One request at a time, in order: the contract answers once the outbox has the message.
      this.sending = this.sending
        .then(() => this.from.core.invoke('chat:send', { communityId, peer: this.to.jid, body }))
        .catch((error: Error) => (this.failure ??= error));
    }, intervalMs);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sending;
  }

  /** When the first message sent at or after `since` reached the other side. */
  firstDeliveryAfter(since: number): number | undefined {
    for (const [body, sentAt] of this.sentAt) {
      if (sentAt < since) continue;
      return this.to.arrivedAt.get(body);
    }
    return undefined;
  }

  /** Lost and duplicated, counted on the receiver's history. */
  async tally(): Promise<{ lost: number; duplicated: number }> {
    const history = await this.to.core.wholeHistory(communityId, this.from.jid);
    const counts = new Map<string, number>();
    for (const message of history) if (message.direction === 'in' && this.sentAt.has(message.body)) counts.set(message.body, (counts.get(message.body) ?? 0) + 1);
    return {
      lost: [...this.sentAt.keys()].filter((body) => !counts.has(body)).length,
      duplicated: [...counts.values()].reduce((sum, count) => sum + count - 1, 0),
    };
  }
}

async function startChatter(lab: Lab, folder: string, name: Name): Promise<Chatter> {
  const account = lab.accounts.find((candidate) => candidate.username === name);
  if (!account) throw new Error(`the lab has no account ${name}`);
  const core = await DrivenCore.start(lab, {
    dataDir: path.join(folder, name),
    community: { id: communityId, displayName: 'Recovery', hostServer: lab.domain, username: name },
    password: account.password,
    caFile: lab.caFile,
  });
  return new Chatter(name, `${name}@${lab.domain}`, core);
}

const isConnected = (chatter: Chatter) => chatter.current?.lifecycle.state === 'online';

async function measureServer(lab: Lab, server: string, options: RecoveryBenchOptions): Promise<RecoveryRow> {
  const folder = await mkdtemp(path.join(tmpdir(), 'burrow-recovery-bench-'));
  const chatters: Chatter[] = [];
  const row: RecoveryRow = { server, cuts: 0, p50Ms: null, maxMs: null, cutsMs: [], idleMs: null, restartMs: null, sent: 0, lost: null, duplicated: null };
  const flows: Flow[] = [];
  try {
    const started = await Promise.allSettled((['alice', 'bob'] as const).map((name) => startChatter(lab, folder, name)));
    for (const outcome of started) if (outcome.status === 'fulfilled') chatters.push(outcome.value);
    const notStarted = started.find((outcome) => outcome.status === 'rejected');
    if (notStarted) throw notStarted.reason;
    const [alice, bob] = chatters as [Chatter, Chatter];
    await Promise.all(chatters.map((chatter) => chatter.until(() => isConnected(chatter), recoveryTimeoutMs, 'the first connection')));
    await addEachOther(communityId, chatters);

    flows.push(new Flow(alice, bob), new Flow(bob, alice));
    const flowing = (since: number) => flows.every((flow) => flow.firstDeliveryAfter(since) !== undefined);
    const untilFlowing = (since: number, what: string) =>
      Promise.all(chatters.map((chatter) => chatter.until(() => flowing(since), recoveryTimeoutMs, what)));
    for (const flow of flows) flow.start(options.intervalMs);
    await untilFlowing(Date.now(), 'messages to flow both ways');

    for (let cut = 0; cut < options.cuts; cut++) {
      const ports = cut % 2 === 0 ? directPorts : httpsPorts;
      const cutAt = Date.now();
      await lab.cut(ports);
      try {
        await untilFlowing(cutAt, `messages to flow again after cut ${cut + 1} (${ports.join(', ')})`);
      } catch (error) {
        row.cutsMs.push(null);
        throw error;
      }
      const recoveredMs = Math.max(...flows.map((flow) => flow.firstDeliveryAfter(cutAt)! - cutAt));
      row.cutsMs.push(recoveredMs);
      row.cuts = cut + 1;
      console.error(`  ${server} cut ${cut + 1} (${ports.join(', ')}): flowing again after ${recoveredMs} ms\n${chatters.map((c) => `    ${c.name}: ${c.journeySince(cutAt)}`).join('\n')}`);
      // Both settled on a path before the next cut, so that each cut interrupts a live chat.
      await Promise.all(chatters.map((chatter) => chatter.until(() => isConnected(chatter), recoveryTimeoutMs, 'to settle after the cut')));
    }
    for (const flow of flows) await flow.stop();
    await lab.heal();

    const pathsBefore = chatters.map((chatter) => pathOf(chatter.current));
    const idleCutAt = Date.now();
    await lab.cut(directPorts.includes(portOf(pathsBefore[0])) ? directPorts : httpsPorts);
    await Promise.all(
      chatters.map((chatter, i) =>
        chatter.until(() => isConnected(chatter) && pathOf(chatter.current) !== pathsBefore[i], recoveryTimeoutMs, 'another path after an idle cut'),
      ),
    );
    row.idleMs = Date.now() - idleCutAt;
    console.error(`  ${server} idle cut: both on another path after ${row.idleMs} ms`);
    await lab.heal();

    const seenBeforeRestart = chatters.map((chatter) => chatter.states.length);
    await lab.restartServer();
    const answeringAt = Date.now();
    await Promise.all(
      chatters.map((chatter, i) =>
        chatter.until(
          () => chatter.states.slice(seenBeforeRestart[i]).some((view) => view.lifecycle.state !== 'online') && isConnected(chatter),
          recoveryTimeoutMs,
          'to be connected again after the server restart',
        ),
      ),
    );
    row.restartMs = Date.now() - answeringAt;
    console.error(`  ${server} restart: both connected again ${row.restartMs} ms after the server answered`);
  } catch (error) {
    row.error = reasonOf(error);
    console.error(`  ${server} failed: ${row.error}`);
  } finally {
    for (const flow of flows) await flow.stop();
    const measured = row.cutsMs.filter((ms): ms is number => ms !== null);
    row.p50Ms = percentile(measured, 50);
    row.maxMs = measured.length > 0 ? Math.max(...measured) : null;
    row.sent = flows.reduce((sum, flow) => sum + flow.sentAt.size, 0);
    if (flows.length > 0) await tallyInto(row, flows);
    await Promise.all(chatters.map((chatter) => chatter.core.stop()));
    await rm(folder, { recursive: true, force: true });
  }
  return row;
}

/** Waits (bounded) for every message to arrive, then counts what was lost and duplicated. */
async function tallyInto(row: RecoveryRow, flows: Flow[]): Promise<void> {
  const deadline = Date.now() + recoveryTimeoutMs;
  try {
    for (;;) {
      const tallies = await Promise.all(flows.map((flow) => flow.tally()));
      row.lost = tallies.reduce((sum, tally) => sum + tally.lost, 0);
      row.duplicated = tallies.reduce((sum, tally) => sum + tally.duplicated, 0);
      if (row.lost === 0 || Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } catch (error) {
    row.error ??= `counting the histories failed: ${reasonOf(error)}`;
  }
}

/** The port in a path's words ("… chat.lab.test:5223 …"), or 443 when it names none. */
function portOf(path: string | null | undefined): number {
  const port = /:(\d+)/.exec(path ?? '')?.[1];
  return port ? Number(port) : 443;
}

function table(rows: RecoveryRow[], options: RecoveryBenchOptions, delayMs: number): string {
  const cell = (value: number | null, width: number) => String(value ?? '-').padStart(width);
  const check = (value: number | null, limit: number) => ((value ?? Infinity) <= limit ? 'met' : 'NOT met');
  return [
    `Recovery bench: delay relay ${delayMs} ms each way; ${options.cuts} cuts per server alternating 5222+5223 / 443, ` +
      `a message each way every ${options.intervalMs} ms; time = cut → the first message sent after it has arrived both ways`,
    '',
    `${'server'.padEnd(10)}${'cuts'.padStart(5)}${'p50 ms'.padStart(9)}${'max ms'.padStart(9)}${'idle ms'.padStart(9)}${'restart ms'.padStart(12)}${'sent'.padStart(7)}${'lost'.padStart(6)}${'dup'.padStart(5)}`,
    ...rows.map(
      (row) =>
        `${row.server.padEnd(10)}${cell(row.cuts, 5)}${cell(row.p50Ms, 9)}${cell(row.maxMs, 9)}${cell(row.idleMs, 9)}${cell(row.restartMs, 12)}` +
        `${cell(row.sent, 7)}${cell(row.lost, 6)}${cell(row.duplicated, 5)}${row.error ? `  failed: ${row.error}` : ''}`,
    ),
    '',
    ...rows.map(
      (row) =>
        `${row.server}: p50 ≤ 3000 ms: ${check(row.p50Ms, 3_000)}; max ≤ 10000 ms: ${check(row.maxMs, 10_000)}; ` +
        `idle ≤ 15000 ms: ${check(row.idleMs, 15_000)}; restart ≤ 15000 ms: ${check(row.restartMs, 15_000)}; ` +
        `nothing lost or duplicated: ${row.lost === 0 && row.duplicated === 0 ? 'met' : 'NOT met'}`,
    ),
  ].join('\n');
}

function figure(rows: RecoveryRow[], delayMs: number): string {
  return barChartSvg({
    title: `Recovery after a cut (ms, log scale), delay ${delayMs} ms each way`,
    groups: rows.map((row) => ({
      label: row.server,
      bars: [
        { label: 'p50', value: row.p50Ms },
        { label: 'max', value: row.maxMs },
        { label: 'idle', value: row.idleMs },
        { label: 'restart', value: row.restartMs },
      ],
    })),
  });
}

export async function recoveryBench(labFor: LabForServer, options: RecoveryBenchOptions): Promise<BenchPart> {
  const rows: RecoveryRow[] = [];
  let delayMs = 0;
  for (const server of options.servers) {
    console.error(`recovery (${server})`);
    let lab: Lab | undefined;
    try {
      lab = await labFor(server);
      delayMs = lab.delayMs;
      rows.push(await measureServer(lab, server, options));
    } catch (error) {
      rows.push({ server, cuts: 0, p50Ms: null, maxMs: null, cutsMs: [], idleMs: null, restartMs: null, sent: 0, lost: null, duplicated: null, error: reasonOf(error) });
    } finally {
      await lab?.stop();
    }
  }
  return {
    table: table(rows, options, delayMs),
    report: { recovery: rows, recoveryRun: { delayMs, ...options, at: new Date().toISOString() } },
    figures: { 'bench-recovery.svg': figure(rows, delayMs) },
  };
}
