/** Burrow's own updates, carried out by plan: a check now and on a timer, and the user told once one is ready. */
import type { NoticeBoard } from '../notices.js';
import type { UpdateChannel, UpdatePlan } from './plan.js';
import { hoursOf, updatePlanWords, updateReadyWords } from './words.js';

/** What main's electron-updater does for Burrow. */
export interface Updater {
  setChannel(channel: UpdateChannel): void;
  /** Checks, and downloads what it finds; a failure is told through onError, never thrown. */
  check(): void;
  onDownloaded(listener: (version: string) => void): void;
  onError(listener: (error: Error) => void): void;
}

export interface UpdatesDeps {
  plan: UpdatePlan;
  updater: Updater;
  notices: Pick<NoticeBoard, 'post'>;
  /** An update waits for a restart: main offers "Restart to Update". */
  onReady: (version: string) => void;
  log: (line: string) => void;
}

export function runUpdates({ plan, updater, notices, onReady, log }: UpdatesDeps): void {
  log(updatePlanWords(plan));
  if (!plan.check) return;
  if (plan.channel !== undefined) updater.setChannel(plan.channel);
  // Offline is ordinary: a failed check is logged, not shown, and the next turn tries again.
  updater.onError((error) => log(`Updates: ${error.message}. The next check is in ${hoursOf(plan.everyMs)}.`));
  const timer = setInterval(() => updater.check(), plan.everyMs);
  updater.onDownloaded((version) => {
    // Nothing more to fetch until Burrow restarts into the new version.
    clearInterval(timer);
    notices.post('info', updateReadyWords(version));
    onReady(version);
  });
  updater.check();
}
