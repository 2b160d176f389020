/**
 * CPU per message: alice's and bob's whole cores (bench-account.ts) in the lab's client namespace,
 * over TCP. The CPU both processes used (user + system, as each reads its own process.cpuUsage())
 * over a burst of N messages, from the first send until bob holds them all and alice has every
 * receipt, divided by N. Sending, storing, acks and receipts on both sides are all in it.
 *
 * Two bursts: the first in freshly started cores, which also pays for compiling the hot code (the
 * SQLite WebAssembly above all); the second in warm ones, what a messenger that has been running a
 * while spends: that one is the figure.
 */
import type { Lab } from '../lab/lab.js';
import { withChattingPair, type BenchAccount } from './bench-account.js';

const warmUpMessages = 5;

export interface CpuPerMessage {
  /** Warm cores: the second burst. */
  steadyMs: number;
  /** The first burst, in cores just signed in. */
  firstBurstMs: number;
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
    const firstBurstMs = await cpuPerMessageOfBurst(alice, bob, burst, 'cpu first burst');
    const steadyMs = await cpuPerMessageOfBurst(alice, bob, burst, 'cpu steady burst');
    return { steadyMs, firstBurstMs };
  });
}
