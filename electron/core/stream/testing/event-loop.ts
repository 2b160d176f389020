import { once } from 'node:events';
import type { EventEmitter } from 'node:events';

/** The longest the event loop went without a turn while `work` ran, and how long `work` took. */
export async function eventLoopStall(work: () => Promise<unknown>): Promise<{ longestStallMs: number; tookMs: number }> {
  let last = performance.now();
  let longestStallMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longestStallMs = Math.max(longestStallMs, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  try {
    await work();
  } finally {
    clearInterval(ticker);
  }
  return { longestStallMs, tookMs: performance.now() - started };
}

/** Starts `attack`, and waits until `stream` disconnects: how long that took, and the longest the event loop stalled meanwhile. */
export async function untilDisconnected(stream: EventEmitter, attack: () => Promise<unknown>): Promise<{ goneAfterMs: number; longestStallMs: number }> {
  const gone = once(stream, 'disconnect');
  const { tookMs, longestStallMs } = await eventLoopStall(async () => {
    void attack();
    await gone;
  });
  return { goneAfterMs: tookMs, longestStallMs };
}
