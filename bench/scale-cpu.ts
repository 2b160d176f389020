/**
 * CPU per message: alice's and bob's whole cores (bench-account.ts) in the lab's client namespace,
 * over TCP. The CPU both processes used (user + system, as each reads its own process.cpuUsage())
 * over a burst of N messages, from the first send until bob holds them all and alice has every
 * receipt, divided by N. Sending, storing, acks and receipts on both sides are all in it.
 *
 * Bursts one after another, every one reported: the first in freshly started cores, which also pays
 * for compiling the hot code; then a few more while V8 still compiles it on its background threads
 * (the SQLite WebAssembly tiers up only once it is hot: seen falling from about 1.9 to 1.2 ms over
 * bursts two to six); then the figure, the median of the last few, what a messenger that has been
 * running a while spends.
 */
import type { Lab } from '../lab/lab.js';
import { withChattingPair, type BenchAccount } from './bench-account.js';
import { median } from './statistics.js';

const warmUpMessages = 5;
const warmingBursts = 3;
const measuredBursts = 3;

export interface CpuPerMessage {
  /** Warm cores: the median of the bursts after the warming ones. */
  steadyMs: number;
  /** The first burst, in cores just signed in. */
  firstBurstMs: number;
  /** Every burst in order, the first and the warming ones included. */
  burstsMs: number[];
}

const totalCpuMs = async (accounts: readonly BenchAccount[]) => (await Promise.all(accounts.map((account) => account.core.cpuMs()))).reduce((sum, ms) => sum + ms, 0);

async function cpuPerMessageOfBurst(alice: BenchAccount, bob: BenchAccount, burst: number, label: string): Promise<number> {
  const before = await totalCpuMs([alice, bob]);
  const sent = await Promise.all(Array.from({ length: burst }, (_, i) => alice.send(bob, `${label} ${i}`)));
  await bob.received(`${label} `, burst, 120_000);
  await Promise.all(sent.map((message) => alice.delivered(message.id, 120_000)));
  const after = await totalCpuMs([alice, bob]);
  return Math.round(((after - before) / burst) * 100) / 100;
}

export async function measureCpuPerMessage(lab: Lab, burst: number): Promise<CpuPerMessage> {
  return withChattingPair(lab, { hostServer: lab.domain, port: 5222 }, 'TCP', async ({ alice, bob }) => {
    for (let i = 0; i < warmUpMessages; i++) {
      const sent = await alice.send(bob, `cpu warm-up ${i}`);
      await alice.delivered(sent.id, 10_000);
    }
    const burstsMs: number[] = [];
    for (let n = 0; n < warmingBursts + measuredBursts; n++) burstsMs.push(await cpuPerMessageOfBurst(alice, bob, burst, `cpu burst ${n}:`));
    return { steadyMs: median(burstsMs.slice(warmingBursts))!, firstBurstMs: burstsMs[0]!, burstsMs };
  });
}
