/**
 * When to try connecting again: "full jitter" exponential backoff (a random delay between zero and
 * min(cap, base × 2^failures)), so that many clients cut off together do not return together. A
 * network change asks for an attempt at once: the old path's failures say nothing about the new one.
 */
export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  /** A number in [0, 1), like Math.random. */
  random?: () => number;
}

export class Backoff {
  private failures = 0;
  private readonly baseMs: number;
  private readonly capMs: number;
  private readonly random: () => number;

  constructor({ baseMs = 1_000, capMs = 60_000, random = Math.random }: BackoffOptions = {}) {
    this.baseMs = baseMs;
    this.capMs = capMs;
    this.random = random;
  }

  /** The delay before the next attempt, after one more failure. */
  nextDelayMs(): number {
    // The exponent stops growing once the cap is reached, so it never overflows.
    const ceiling = Math.min(this.capMs, this.baseMs * 2 ** Math.min(this.failures, 52));
    this.failures += 1;
    return Math.floor(this.random() * ceiling);
  }

  succeeded(): void {
    this.failures = 0;
  }
}

/**
 * Runs `reconnect` after each failure's backoff delay, or at once on a network change. At most one
 * attempt is ever pending.
 */
export class ReconnectScheduler {
  private pending: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly reconnect: () => void,
    private readonly backoff: Backoff = new Backoff(),
  ) {}

  /** The connection failed or dropped: try again after the backoff delay, which this returns. */
  failed(): number {
    const delayMs = this.backoff.nextDelayMs();
    this.schedule(delayMs);
    return delayMs;
  }

  succeeded(): void {
    this.cancel();
    this.backoff.succeeded();
  }

  networkChanged(): void {
    this.backoff.succeeded();
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.cancel();
    this.pending = setTimeout(() => {
      this.pending = null;
      this.reconnect();
    }, delayMs);
  }

  private cancel(): void {
    if (this.pending !== null) clearTimeout(this.pending);
    this.pending = null;
  }
}
