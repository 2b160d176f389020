/**
 * npm run bench: in the lab with the delay relay (default 25 ms each way), the connect part
 * (connect-bench.ts) and the messaging part (messaging-bench.ts), measured in one run. Prints each
 * part's table, writes reports/bench.json (keeping the keys of parts not run) and the SVG figures.
 *
 *   node dist/bench/bench.js [--parts connect,messaging] [--delay-ms 25] [--wait-for-lab-s 600]
 *       [--runs 7] [--scenarios S1,S3,S5] [--sequential-timeout-ms 5000]     (connect)
 *       [--samples 100] [--burst 300]                                         (messaging)
 */
import { parseArgs } from 'node:util';

import { startLab, type Lab } from '../lab/lab.js';
import { writeBenchReport, type BenchPart } from './bench-report.js';
import { connectBench } from './connect-bench.js';
import { messagingBench } from './messaging-bench.js';

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
      parts: { type: 'string', default: 'connect,messaging' },
      'delay-ms': { type: 'string', default: '25' },
      'wait-for-lab-s': { type: 'string', default: '600' },
      runs: { type: 'string', default: '7' },
      scenarios: { type: 'string', default: 'S1,S3,S5' },
      'sequential-timeout-ms': { type: 'string', default: '5000' },
      samples: { type: 'string', default: '100' },
      burst: { type: 'string', default: '300' },
    },
  });
  const parts = values.parts.split(',').map((part) => part.trim());
  const unknown = parts.filter((part) => part !== 'connect' && part !== 'messaging');
  if (unknown.length > 0) {
    console.error(`unknown bench part ${unknown.join(', ')}: the parts are connect and messaging`);
    return 2;
  }
  const lab = await startLabWhenFree(Number(values['delay-ms']), Number(values['wait-for-lab-s']) * 1000);
  try {
    const measured: BenchPart[] = [];
    if (parts.includes('connect')) {
      measured.push(
        await connectBench(lab, {
          runs: Number(values.runs),
          scenarios: values.scenarios.split(',').map((id) => id.trim()),
          sequentialTimeoutMs: Number(values['sequential-timeout-ms']),
        }),
      );
    }
    if (parts.includes('messaging')) measured.push(await messagingBench(lab, { samples: Number(values.samples), burst: Number(values.burst) }));
    console.log(measured.map((part) => part.table).join('\n\n'));
    writeBenchReport(measured);
    return 0;
  } finally {
    await lab.stop();
  }
}

process.exitCode = await main();
