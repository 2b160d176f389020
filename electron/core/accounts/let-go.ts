/**
 * What an account let go of because more came than Burrow keeps (a flood): counted by kind, and
 * told in one notice kept up to date, at most once a second however fast the flood.
 */
import type { LetGoCount, LetGoKind } from '../../contract/request-words.js';
import { coalesced, type Coalesced } from './coalesced.js';

export type LetGoCounts = Partial<Record<LetGoKind, LetGoCount>>;

const tellEveryMs = 1_000;

export class LetGo {
  private readonly counts: LetGoCounts = {};
  private readonly told: Coalesced;

  constructor(tell: (counts: LetGoCounts) => void) {
    this.told = coalesced(() => tell({ ...this.counts }), tellEveryMs);
  }

  /** `count` of `kind` let go, of which Burrow `keeps` so many. */
  add(kind: LetGoKind, keeps: number, count = 1): void {
    if (count <= 0) return;
    this.counts[kind] = { count: (this.counts[kind]?.count ?? 0) + count, keeps };
    this.told();
  }

  /** Tells now what is still waiting to be told. */
  flush(): void {
    this.told.flush();
  }
}
