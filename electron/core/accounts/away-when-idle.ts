/**
 * Away when idle: after the user's chosen number of idle minutes (or at once when the screen
 * locks), every account the user left "available" shows as away; when the user is back, those
 * accounts return to what they were. A presence the user chose by hand — do not disturb, away,
 * or any change while away — is never overridden, and a signed-out account is never signed in.
 *
 * What "idle" is comes from outside: Electron's powerMonitor, or in browser mode the page's own
 * input and visibility, both told as "idle for N ms as of now" (the last report wins). Until
 * something reports, nothing is known of the user, and nobody goes away (a core driven by a
 * script, as the lab's and the bench's are).
 */
import type { AccountView, OwnPresence } from '../../contract/contract.js';

export interface AwayWhenIdleDeps {
  accounts: () => readonly Pick<AccountView, 'communityId' | 'presence' | 'lifecycle'>[];
  setPresence: (communityId: string, presence: OwnPresence) => Promise<void>;
  /** The setting in effect; 0 never goes away. */
  awayAfterMinutes: () => number;
  reportFault?: (message: string) => void;
}

const MINUTE_MS = 60_000;

export class AwayWhenIdle {
  /** null until the first report. */
  private lastActiveAt: number | null = null;
  private screenLocked = false;
  /** While away because idle: the presence each account had before, by community. */
  private replaced: Map<string, OwnPresence> | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly deps: AwayWhenIdleDeps) {
    this.evaluate();
  }

  get isAway(): boolean {
    return this.replaced !== null;
  }

  /** The user has been idle for `idleMs` as of now; 0 is "active now". */
  idleFor(idleMs: number): void {
    this.lastActiveAt = Date.now() - idleMs;
    if (idleMs === 0) this.screenLocked = false;
    this.evaluate();
  }

  lockScreen(): void {
    this.screenLocked = true;
    this.evaluate();
  }

  unlockScreen(): void {
    this.screenLocked = false;
    this.idleFor(0);
  }

  /** The user set this account's presence by hand: it is theirs, and coming back leaves it alone. */
  chosenByHand(communityId: string): void {
    this.replaced?.delete(communityId);
  }

  /** The setting may have changed. */
  settingsChanged(): void {
    this.evaluate();
  }

  close(): void {
    clearTimeout(this.timer);
  }

  private evaluate(): void {
    clearTimeout(this.timer);
    const awayAfterMs = this.deps.awayAfterMinutes() * MINUTE_MS;
    if (awayAfterMs <= 0) return this.comeBack();
    if (this.screenLocked) return this.goAway();
    if (this.lastActiveAt === null) return;
    const idleMs = Date.now() - this.lastActiveAt;
    if (idleMs >= awayAfterMs) return this.goAway();
    this.comeBack();
    this.timer = setTimeout(() => this.evaluate(), awayAfterMs - idleMs);
    // Waiting to go away is no reason to keep a finished process alive.
    this.timer.unref();
  }

  private goAway(): void {
    if (this.replaced) return;
    this.replaced = new Map();
    for (const { communityId, presence, lifecycle } of this.deps.accounts()) {
      if (presence.availability !== 'available' || lifecycle.state === 'offline') continue;
      this.replaced.set(communityId, presence);
      this.apply(communityId, { ...presence, availability: 'away' });
    }
  }

  private comeBack(): void {
    const replaced = this.replaced;
    if (!replaced) return;
    this.replaced = null;
    const signedIn = new Set(this.deps.accounts().filter(({ lifecycle }) => lifecycle.state !== 'offline').map(({ communityId }) => communityId));
    for (const [communityId, presence] of replaced) if (signedIn.has(communityId)) this.apply(communityId, presence);
  }

  private apply(communityId: string, presence: OwnPresence): void {
    this.deps.setPresence(communityId, presence).catch((error: unknown) => {
      this.deps.reportFault?.(`Burrow could not change your status in ${communityId}: ${(error as Error).message}`);
    });
  }
}
