/**
 * How long to wait before trying again: "full jitter" exponential backoff (a random delay between
 * zero and min(cap, base × 2^(failures − 1))), so that many clients cut off together do not return
 * together, and one client never storms a server or a proxy.
 *
 * What counts as a failure, and when the count starts over, is the lifecycle's rule (lifecycle.ts):
 * every failed race and sign-in counts, and so does losing a connection that had not yet stayed up
 * `stableMs`; only a connection that stayed up that long clears the count.
 */
export interface RetryPolicy {
  baseMs: number;
  capMs: number;
  /** How long a connection must stay up before its loss is recovery rather than one more failure. */
  stableMs: number;
  /** A number in [0, 1), like Math.random. */
  random: () => number;
}

export type RetryOptions = Partial<RetryPolicy>;

export function retryPolicy({ baseMs = 1_000, capMs = 60_000, stableMs = 30_000, random = Math.random }: RetryOptions = {}): RetryPolicy {
  return { baseMs, capMs, stableMs, random };
}

/** The delay before the next try after `failures` consecutive failures (1 or more). */
export function retryDelayMs(failures: number, { baseMs, capMs, random }: RetryPolicy): number {
  // The exponent stops growing once the cap is reached, so it never overflows.
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 52));
  return Math.floor(random() * ceiling);
}
