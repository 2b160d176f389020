/**
 * A task run at most once per interval: at once when it has not run lately, else once when the
 * interval is over, however often it was asked for meanwhile. A flood then costs a few runs a
 * second, and the last call is never left unanswered.
 */
export interface Coalesced {
  (): void;
  /** Runs a call still waiting for its interval now. */
  flush(): void;
}

export function coalesced(task: () => void, intervalMs: number): Coalesced {
  let lastRunAt = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const run = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    lastRunAt = Date.now();
    task();
  };
  const call = () => {
    if (timer !== null) return;
    const wait = lastRunAt + intervalMs - Date.now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  };
  return Object.assign(call, {
    flush: () => {
      if (timer !== null) run();
    },
  });
}
