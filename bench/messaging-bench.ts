/**
 * The messaging part of `npm run bench`: two whole Burrow cores (alice and bob) in the lab's
 * client network, both on one transport configured by address, measure
 * - the round trip: alice sends, bob's core receives and answers with a receipt, alice's message
 *   turns "delivered" — from the send request to that event, one message at a time (p50, p99);
 * - sustained throughput: alice sends a burst as fast as the contract takes it, timed until bob
 *   holds every message;
 * - what an idle account costs: bytes and packets through the client network's link, both ways,
 *   over a quiet period once all is settled (keepalive probes, BOSH's held requests), per account.
 * Both measure the whole app path (contract, durable outbox on disk, stream management, receipts),
 * so the transports differ only by what they cost.
 */
import { performance } from 'node:perf_hooks';

import { onlinePath } from '../electron/contract/contract.js';
import type { Lab } from '../lab/lab.js';
import { withChattingPair, type CommunityAddress } from './bench-account.js';
import { reasonOf, type BenchPart } from './bench-report.js';
import { percentile, ratio } from './statistics.js';
import { barChartSvg } from './svg.js';

export interface MessagingRow {
  transport: string;
  p50Ms: number | null;
  p99Ms: number | null;
  msgsPerSec: number | null;
  /** The path the accounts connected over, in the app's words. */
  path: string;
  samples: number;
  burst: number;
  /** An idle account's traffic on the wire, both ways, per minute (null: not measured). */
  idleBytesPerMin: number | null;
  idlePacketsPerMin: number | null;
  /** Why this transport could not be measured, when it could not. */
  error?: string;
}

export interface MessagingRatios {
  boshOverTcp: number | null;
  webSocketOverTcp: number | null;
}

interface TransportAddress {
  transport: string;
  address: CommunityAddress;
}

const warmUpMessages = 5;
/** After the burst, before the idle period: the last acknowledgements and receipts come in. */
const settleMs = 5_000;

function transports(lab: Lab): TransportAddress[] {
  const host = lab.domain;
  return [
    // A host with a port: exactly one attempt, TCP with STARTTLS (DESIGN.md's address rules).
    { transport: 'TCP', address: { hostServer: host, port: 5222 } },
    { transport: 'direct TLS', address: { hostServer: `xmpps://${host}:5223` } },
    { transport: 'WebSocket', address: { hostServer: `wss://${host}/xmpp-websocket` } },
    { transport: 'BOSH', address: { hostServer: `https://${host}/http-bind` } },
  ];
}

async function benchTransport(lab: Lab, { transport, address }: TransportAddress, options: MessagingBenchOptions): Promise<MessagingRow> {
  return withChattingPair(lab, address, transport, async ({ alice, bob, online }) => {
    const roundTrip = async (body: string) => {
      const start = performance.now();
      const sent = await alice.send(bob, body);
      return (await alice.delivered(sent.id, 10_000)) - start;
    };
    for (let i = 0; i < warmUpMessages; i++) await roundTrip(`${transport} warm-up ${i}`);
    const roundTrips: number[] = [];
    for (let i = 0; i < options.samples; i++) roundTrips.push(await roundTrip(`${transport} round trip ${i}`));

    const burstStart = performance.now();
    const sends = Array.from({ length: options.burst }, (_, i) => alice.send(bob, `${transport} burst ${i}`));
    await Promise.all(sends);
    const allThere = await bob.received(`${transport} burst `, options.burst, 120_000);
    const msgsPerSec = Math.round((options.burst / (allThere - burstStart)) * 1000 * 10) / 10;
    const idle = options.idleSeconds > 0 ? await idleTraffic(lab, [alice, bob].length, options.idleSeconds) : null;

    const row: MessagingRow = {
      transport,
      p50Ms: percentile(roundTrips, 50),
      p99Ms: percentile(roundTrips, 99),
      msgsPerSec,
      path: onlinePath(online.lifecycle) ?? '',
      samples: roundTrips.length,
      burst: options.burst,
      idleBytesPerMin: idle?.bytesPerMin ?? null,
      idlePacketsPerMin: idle?.packetsPerMin ?? null,
    };
    const idleWords = idle ? `, idle ${idle.bytesPerMin} B and ${idle.packetsPerMin} packets a minute` : '';
    console.error(`  ${transport.padEnd(11)} p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms, ${row.msgsPerSec} msg/s${idleWords}  (${row.path})`);
    return row;
  });
}

/** Bytes and packets through the client network's links to the world, both ways (its own /proc/net/dev; loopback left out). */
async function clientTraffic(lab: Lab): Promise<{ bytes: number; packets: number }> {
  const { stdout } = await lab.execInClient('cat', ['/proc/net/dev']);
  let bytes = 0;
  let packets = 0;
  for (const line of stdout.split('\n').slice(2)) {
    const [name, counters] = line.split(':');
    if (counters === undefined || name?.trim() === 'lo') continue;
    const [rxBytes = 0, rxPackets = 0, , , , , , , txBytes = 0, txPackets = 0] = counters.trim().split(/\s+/).map(Number);
    bytes += rxBytes + txBytes;
    packets += rxPackets + txPackets;
  }
  return { bytes, packets };
}

/**
 * What `accounts` signed-in accounts cost, each, while nobody writes: the client network's traffic
 * over `seconds` of quiet, once what the burst left settles, per account and minute.
 */
async function idleTraffic(lab: Lab, accounts: number, seconds: number): Promise<{ bytesPerMin: number; packetsPerMin: number }> {
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  const before = await clientTraffic(lab);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = await clientTraffic(lab);
  const perAccountMinute = (count: number) => Math.round((count / accounts / seconds) * 60);
  return { bytesPerMin: perAccountMinute(after.bytes - before.bytes), packetsPerMin: perAccountMinute(after.packets - before.packets) };
}

function table(rows: MessagingRow[], ratios: MessagingRatios, delayMs: number): string {
  const cell = (value: number | null, width: number) => String(value ?? '-').padStart(width);
  const samples = Math.max(0, ...rows.map((row) => row.samples));
  const burst = Math.max(0, ...rows.map((row) => row.burst));
  const idleWords = rows.find((row) => row.idleBytesPerMin !== null) ? 'idle = one account signed in, nobody writing, on the wire both ways per minute' : 'idle not measured';
  const check = (value: number | null, limit: number) => ((value ?? Infinity) <= limit ? 'met' : 'NOT met');
  return [
    `Messaging bench: delay relay ${delayMs} ms each way; round trip = send to delivery receipt (${samples} messages, one at a time); ` +
      `throughput = a burst of ${burst} until the receiver holds them all; ${idleWords}`,
    '',
    `${'transport'.padEnd(12)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'msgs/s'.padStart(9)}${'idle B/min'.padStart(12)}${'idle pkt/min'.padStart(14)}  path`,
    ...rows.map(
      (row) =>
        `${row.transport.padEnd(12)}${cell(row.p50Ms, 9)}${cell(row.p99Ms, 9)}${cell(row.msgsPerSec, 9)}${cell(row.idleBytesPerMin, 12)}${cell(row.idlePacketsPerMin, 14)}  ` +
        (row.error ? `failed: ${row.error}` : row.path),
    ),
    '',
    `BOSH p50 / TCP p50: ${ratios.boshOverTcp ?? '-'} (target ≤ 1.3: ${check(ratios.boshOverTcp, 1.3)}); ` +
      `WebSocket p50 / TCP p50: ${ratios.webSocketOverTcp ?? '-'} (target ≤ 1.1: ${check(ratios.webSocketOverTcp, 1.1)})`,
  ].join('\n');
}

function figure(rows: MessagingRow[], delayMs: number): string {
  return barChartSvg({
    title: `Message round trip to the delivery receipt (ms, log scale), delay ${delayMs} ms each way`,
    groups: rows.map((row) => ({
      label: row.transport,
      bars: [
        { label: 'p50', value: row.p50Ms },
        { label: 'p99', value: row.p99Ms },
      ],
    })),
  });
}

export interface MessagingBenchOptions {
  /** Round trips measured per transport. */
  samples: number;
  /** Messages in the throughput burst. */
  burst: number;
  /** How long an idle account's traffic is measured (0: not at all). */
  idleSeconds: number;
}

export async function messagingBench(lab: Lab, options: MessagingBenchOptions): Promise<BenchPart> {
  await lab.applyScenario('S1');
  console.error('messaging (S1)');
  const rows: MessagingRow[] = [];
  for (const transport of transports(lab)) {
    try {
      rows.push(await benchTransport(lab, transport, options));
    } catch (error) {
      const reason = reasonOf(error);
      console.error(`  ${transport.transport.padEnd(11)} failed: ${reason}`);
      rows.push({
        transport: transport.transport,
        p50Ms: null,
        p99Ms: null,
        msgsPerSec: null,
        path: '',
        samples: 0,
        burst: 0,
        idleBytesPerMin: null,
        idlePacketsPerMin: null,
        error: reason,
      });
    }
  }
  const p50 = (name: string) => rows.find((row) => row.transport === name)?.p50Ms;
  const ratios: MessagingRatios = { boshOverTcp: ratio(p50('BOSH'), p50('TCP')), webSocketOverTcp: ratio(p50('WebSocket'), p50('TCP')) };
  return {
    table: table(rows, ratios, lab.delayMs),
    report: {
      messaging: rows,
      messagingRatios: ratios,
      messagingRun: { delayMs: lab.delayMs, ...options, at: new Date().toISOString() },
    },
    figures: { 'bench-messaging.svg': figure(rows, lab.delayMs) },
  };
}
