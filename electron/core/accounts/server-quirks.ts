/**
 * What a server was learnt to get wrong, from its own failed attempts: for now, the resumes it
 * breaks between two transports ("directtls→websocket"). Remembered per server domain, so that a
 * restart does not pay for the lesson again, and forgotten after a while, so that an upgraded
 * server gets its chance back.
 */
import type { MemoryStore } from '../connection/winners.js';

/** Transition → when it was learnt (ISO 8601). */
export type LearntQuirks = { brokenResumes: Record<string, string> };

const forgottenAfterMs = 30 * 24 * 60 * 60 * 1000;

export class ServerQuirks {
  constructor(
    private readonly store: MemoryStore<LearntQuirks>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The server at `domain` breaks a resume from one transport to the other (`transition`, "from→to"). */
  breaksResume(domain: string, transition: string): boolean {
    const learntAt = this.store.get(domain.toLowerCase())?.brokenResumes[transition];
    return learntAt !== undefined && this.now().getTime() - Date.parse(learntAt) < forgottenAfterMs;
  }

  /** Learns it; returns false when it was known already. */
  learnBrokenResume(domain: string, transition: string): boolean {
    if (this.breaksResume(domain, transition)) return false;
    const key = domain.toLowerCase();
    const brokenResumes = { ...this.store.get(key)?.brokenResumes, [transition]: this.now().toISOString() };
    this.store.set(key, { brokenResumes });
    return true;
  }
}
