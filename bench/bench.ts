/**
 * npm run bench: in the lab with the delay relay (default 25 ms each way), the connect part
 * (connect-bench.ts), the messaging part (messaging-bench.ts), the recovery part
 * (recovery-bench.ts, once per server), the login part (login-bench.ts, once per server) and the
 * scale part (scale-bench.ts, on one server), measured in one run. Prints each part's table, writes
 * reports/bench.json (keeping the keys of parts not run) and the SVG figures. A part that fails
 * says why in its rows; the other parts still run and are written.
 *
 *   node dist/bench/bench.js [--parts connect,messaging,recovery] [--delay-ms 25] [--wait-for-lab-s 600]
 *       [--runs 7] [--scenarios S1,S3,S5] [--sequential-timeout-ms 5000]     (connect)
 *       [--samples 100] [--burst 300] [--idle-s 60]                           (messaging)
 *       [--servers prosody,ejabberd] [--cuts 10] [--interval-ms 200]          (recovery; login too)
 *       [--login-runs 5]                                                      (login)
 *       [--scale-server prosody] [--scale-contacts 2000] [--scale-messages 100000] [--scale-repeats 5]
 *       [--scale-timeout-ms 30000]                                            (scale; its CPU burst is --burst)
 */
import { parseArgs } from 'node:util';

import { serverKinds, startLab, type Lab, type ServerKind, type StartLabOptions } from '../lab/lab.js';
import { reasonOf, writeBenchReport, type BenchPart } from './bench-report.js';
import { connectBench } from './connect-bench.js';
import { fillHistoryDatabase } from './conversation-fill.js';
import { loginBench } from './login-bench.js';
import { messagingBench } from './messaging-bench.js';
import { recoveryBench } from './recovery-bench.js';
import { scaleBench } from './scale-bench.js';

const partNames = ['connect', 'messaging', 'recovery', 'login', 'scale'] as const;
type PartName = (typeof partNames)[number];

/** The lab is one per machine: while another run (a test suite, say) owns it, wait for it rather than fail. */
async function startLabWhenFree(options: StartLabOptions, waitMs: number): Promise<Lab> {
  const giveUpAt = Date.now() + waitMs;
  for (;;) {
    try {
      return await startLab(options);
    } catch (error) {
      const busy = error instanceof Error && /another lab is running/.test(error.message);
      if (!busy || Date.now() > giveUpAt) throw error;
      console.error(`${error.message}; waiting for it`);
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
  }
}

function serverKind(name: string): ServerKind {
  const kind = serverKinds.find((known) => known === name);
  if (!kind) throw new Error(`unknown server ${name}: the servers are ${serverKinds.join(', ')}`);
  return kind;
}

/** A part that could not run at all: its rows key says why. */
function failedPart(name: PartName, error: unknown): BenchPart {
  const reason = reasonOf(error);
  return { table: `${name} bench failed: ${reason}`, report: { [name]: [{ error: reason }] }, figures: {} };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      parts: { type: 'string', default: partNames.join(',') },
      'delay-ms': { type: 'string', default: '25' },
      'wait-for-lab-s': { type: 'string', default: '600' },
      runs: { type: 'string', default: '7' },
      scenarios: { type: 'string', default: 'S1,S3,S5' },
      'sequential-timeout-ms': { type: 'string', default: '5000' },
      samples: { type: 'string', default: '100' },
      burst: { type: 'string', default: '300' },
      'idle-s': { type: 'string', default: '60' },
      servers: { type: 'string', default: 'prosody,ejabberd' },
      cuts: { type: 'string', default: '10' },
      'interval-ms': { type: 'string', default: '200' },
      'login-runs': { type: 'string', default: '5' },
      'scale-server': { type: 'string', default: 'prosody' },
      'scale-contacts': { type: 'string', default: '2000' },
      'scale-messages': { type: 'string', default: '100000' },
      'scale-repeats': { type: 'string', default: '5' },
      'scale-timeout-ms': { type: 'string', default: '30000' },
    },
  });
  const parts = values.parts.split(',').map((part) => part.trim());
  const unknown = parts.filter((part) => !(partNames as readonly string[]).includes(part));
  if (unknown.length > 0) {
    console.error(`unknown bench part ${unknown.join(', ')}: the parts are ${partNames.join(', ')}`);
    return 2;
  }
  const delayMs = Number(values['delay-ms']);
  const waitMs = Number(values['wait-for-lab-s']) * 1000;
  const measured: BenchPart[] = [];
  const run = async (name: PartName, measure: () => Promise<BenchPart>) => {
    if (!parts.includes(name)) return;
    try {
      measured.push(await measure());
    } catch (error) {
      console.error(`${name} bench failed: ${reasonOf(error)}`);
      measured.push(failedPart(name, error));
    }
  };

  if (parts.includes('connect') || parts.includes('messaging')) {
    let lab: Lab | undefined;
    try {
      lab = await startLabWhenFree({ scenario: 'S1', delayMs }, waitMs);
      const started = lab;
      await run('connect', () =>
        connectBench(started, {
          runs: Number(values.runs),
          scenarios: values.scenarios.split(',').map((id) => id.trim()),
          sequentialTimeoutMs: Number(values['sequential-timeout-ms']),
        }),
      );
      await run('messaging', () => messagingBench(started, { samples: Number(values.samples), burst: Number(values.burst), idleSeconds: Number(values['idle-s']) }));
    } catch (error) {
      for (const name of ['connect', 'messaging'] as const) await run(name, () => Promise.reject(error));
    } finally {
      await lab?.stop();
    }
  }
  await run('recovery', () =>
    recoveryBench((server) => startLabWhenFree({ scenario: 'S1', delayMs, server }, waitMs), {
      servers: values.servers.split(',').map((server) => serverKind(server.trim())),
      cuts: Number(values.cuts),
      intervalMs: Number(values['interval-ms']),
    }),
  );

  await run('login', () =>
    loginBench((server, labDelayMs) => startLabWhenFree({ scenario: 'S1', delayMs: labDelayMs, server }, waitMs), {
      servers: values.servers.split(',').map((server) => serverKind(server.trim())),
      delayMs,
      runs: Number(values['login-runs']),
    }),
  );

  await run('scale', async () => {
    const lab = await startLabWhenFree({ scenario: 'S1', delayMs, server: serverKind(values['scale-server'].trim()) }, waitMs);
    try {
      const timeoutMs = Number(values['scale-timeout-ms']);
      return await scaleBench(lab, {
        contacts: Number(values['scale-contacts']),
        messages: Number(values['scale-messages']),
        burst: Number(values.burst),
        repeats: Number(values['scale-repeats']),
        fill: fillHistoryDatabase,
        rosterTimeoutMs: timeoutMs,
        openTimeoutMs: timeoutMs,
        sendTimeoutMs: timeoutMs,
      });
    } finally {
      await lab.stop();
    }
  });

  console.log(measured.map((part) => part.table).join('\n\n'));
  writeBenchReport(measured);
  return measured.some((part) => JSON.stringify(part.report).includes('"error"')) ? 1 : 0;
}

process.exitCode = await main();
