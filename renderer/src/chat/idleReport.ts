/**
 * Browser mode's half of away when idle: the page tells core how long the user has left it
 * untouched. Input anywhere in the page, or the page coming back into view, is activity. Core
 * decides what that means (electron/core/accounts/away-when-idle.ts); Electron asks the system instead.
 */

/** How often the idle time is told; the first activity after an idle report is told at once. */
export const IDLE_REPORT_EVERY_MS = 15_000;

const activityEvents = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

/** Starts reporting; returns what stops it. */
export function reportIdleTime(report: (idleMs: number) => void, target: Window = window): () => void {
  let lastActiveAt = Date.now();
  let reportedIdle = false;
  const tell = () => {
    const idleMs = Math.max(0, Date.now() - lastActiveAt);
    reportedIdle = idleMs > 0;
    report(idleMs);
  };
  const active = () => {
    lastActiveAt = Date.now();
    if (reportedIdle) tell();
  };
  const visibilityChanged = () => {
    if (target.document.visibilityState === 'visible') active();
  };
  for (const name of activityEvents) target.addEventListener(name, active, { capture: true, passive: true });
  target.document.addEventListener('visibilitychange', visibilityChanged);
  const interval = target.setInterval(tell, IDLE_REPORT_EVERY_MS);
  tell();
  return () => {
    target.clearInterval(interval);
    for (const name of activityEvents) target.removeEventListener(name, active, { capture: true });
    target.document.removeEventListener('visibilitychange', visibilityChanged);
  };
}
