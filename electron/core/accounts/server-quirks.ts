/**
 * What a server was learnt to do, from its own attempts: the resumes it breaks between two
 * transports ("directtls→websocket"), and how long it has taken to answer a resume. Remembered
 * per server domain, so that a restart does not pay for the lesson again, and forgotten after a
 * while, so that an upgraded server gets its chance back.
 */
import { z } from 'zod';

import type { MemoryStore } from '../connection/winners.js';

/** Transition → when it was learnt (ISO 8601); the slowest resume answer seen, and when. */
const LearntQuirks = z.object({
  brokenResumes: z.record(z.string(), z.string()),
  slowestResume: z.object({ ms: z.number().nonnegative(), at: z.string() }).optional(),
});
export type LearntQuirks = z.infer<typeof LearntQuirks>;

const forgottenAfterMs = 30 * 24 * 60 * 60 * 1000;

export class ServerQuirks {
  constructor(
    private readonly store: MemoryStore<LearntQuirks>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The server at `domain` breaks a resume from one transport to the other (`transition`, "from→to"). */
  breaksResume(domain: string, transition: string): boolean {
    const learntAt = this.learnt(domain).brokenResumes[transition];
    return learntAt !== undefined && this.isRecent(learntAt);
  }

  /** Learns it; returns false when it was known already. */
  learnBrokenResume(domain: string, transition: string): boolean {
    if (this.breaksResume(domain, transition)) return false;
    const learnt = this.learnt(domain);
    this.store.set(domain.toLowerCase(), { ...learnt, brokenResumes: { ...learnt.brokenResumes, [transition]: this.now().toISOString() } });
    return true;
  }

  /**
   * How long to wait for this server to answer a resume: twice the slowest answer it has given
   * lately, within `floorMs` and `ceilingMs`. A server never seen slow gets the floor, so that one
   * which leaves a resume unanswered costs seconds, not the whole race deadline.
   */
  resumePatienceMs(domain: string, { floorMs, ceilingMs }: { floorMs: number; ceilingMs: number }): number {
    const slowest = this.learnt(domain).slowestResume;
    const recent = slowest !== undefined && this.isRecent(slowest.at);
    return Math.min(ceilingMs, Math.max(floorMs, recent ? 2 * slowest.ms : 0));
  }

  /** The server took a stream back after `ms` (from the path's sign-in to its answer). */
  resumeAnswered(domain: string, ms: number): void {
    const learnt = this.learnt(domain);
    const slowest = learnt.slowestResume;
    if (slowest !== undefined && this.isRecent(slowest.at) && slowest.ms >= ms) return;
    this.store.set(domain.toLowerCase(), { ...learnt, slowestResume: { ms, at: this.now().toISOString() } });
  }

  /** What was learnt about the server; nothing, when the file holds something else (a lesson is only a hint). */
  private learnt(domain: string): LearntQuirks {
    const parsed = LearntQuirks.safeParse(this.store.get(domain.toLowerCase()));
    return parsed.success ? parsed.data : { brokenResumes: {} };
  }

  private isRecent(learntAt: string): boolean {
    return this.now().getTime() - Date.parse(learntAt) < forgottenAfterMs;
  }
}
