/** Tells core's away-when-idle what the system sees: idle time (polled) and the screen locking. */
import { powerMonitor } from 'electron';
import type { AwayWhenIdle } from '../core/accounts/away-when-idle.js';

const POLL_MS = 15_000;

export function watchSystemIdle(away: AwayWhenIdle): () => void {
  const poll = () => away.idleFor(powerMonitor.getSystemIdleTime() * 1000);
  const lock = () => away.lockScreen();
  const unlock = () => away.unlockScreen();
  powerMonitor.on('lock-screen', lock);
  powerMonitor.on('unlock-screen', unlock);
  const interval = setInterval(poll, POLL_MS);
  poll();
  return () => {
    clearInterval(interval);
    powerMonitor.off('lock-screen', lock);
    powerMonitor.off('unlock-screen', unlock);
  };
}
