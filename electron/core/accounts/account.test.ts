/**
 * The account's retry behaviour, with the race, the settings and the session faked: how many races
 * each kind of failure costs, and how long each retry waits (fake timers, the jitter at its ceiling).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { onlinePath, type AccountLifecycle, type AccountView } from '../../contract/contract.js';
import type { Candidate } from '../connection/candidate.js';
import type { Cause } from '../connection/causes.js';
import type { AttemptRecord, RaceResult } from '../connection/race.js';
import { EventHub } from '../events.js';
import type { SessionEvent } from '../session/session.js';
import { MalformedXmlError, TooLargeError } from '../stream/errors.js';
import type { Refusal } from '../stream/errors.js';
import { ResumeUnansweredError } from '../stream/stream-management.js';
import { memoryStore } from '../connection/winners.js';
import { Account } from './account.js';
import { ServerQuirks, type LearntQuirks } from './server-quirks.js';

type Outcome = 'connects' | 'server-down' | 'proxy-refuses-login';
type SignIn = 'fresh' | 'wrong-password' | 'resume-unanswered';

/** What the fakes do, set by each test; and what they saw. */
const world = vi.hoisted(() => ({
  outcome: 'connects' as Outcome,
  signIn: 'fresh' as SignIn,
  races: 0,
  /** While set, a race does not end until it resolves. */
  gate: null as null | Promise<void>,
  /** Paths closed by the account. */
  closed: 0,
  /** The live session's event sink, to lose its stream; whether its path is suspect. */
  session: null as null | {
    emit: (event: SessionEvent) => void;
    online: boolean;
    suspect: boolean;
    resumedUnproven: boolean;
    streamProven: boolean;
    resumedStreamReadNothing: boolean;
  },
  /** Sign-ins over a new path, and probes of the live path asked for. */
  attaches: 0,
  checks: 0,
  /** Whether each sign-in was allowed to resume the stream. */
  resumeAllowed: [] as boolean[],
  /** How long each sign-in let the server take to answer a resume. */
  resumeDeadlines: [] as (number | undefined)[],
  /** How long (on the fake clock) a sign-in takes. */
  signInMs: 0,
  /** The transport of the path that wins the next race. */
  winnerTransport: 'websocket' as Candidate['endpoint']['transport'],
  /** What the server of the path sent that Burrow refused (too much, or XML not well-formed), closing its stream. */
  refusal: null as null | Refusal,
  /** The next resume finds that the server read nothing sent on the resumed stream it takes back. */
  readNothingNext: false,
}));

vi.mock('../community-connection.js', () => import('./testing/fake-community-connection.js'));

vi.mock('../connection/connect.js', () => ({
  connectToCommunity: async () => {
    world.races += 1;
    const outcome = world.outcome;
    await world.gate;
    return { plan: {}, result: raceResult(outcome) };
  },
}));

vi.mock('./account-data.js', () => ({
  AccountData: { open: async (_dir: string, jid: string) => ({ jid, close: async () => {}, rooms: { get: () => undefined, set: () => {}, delete: () => {} } }) },
  accountFolder: (dataDir: string, jid: string) => `${dataDir}/accounts/${encodeURIComponent(jid)}`,
}));

vi.mock('../session/session.js', () => ({
  Session: {
    open: async ({ onEvent }: { onEvent: (event: SessionEvent) => void }) => {
      const session = {
        online: false,
        emit: onEvent,
        get isOnline() {
          return session.online;
        },
        suspect: false,
        resumedUnproven: false,
        streamProven: false,
        resumedStreamReadNothing: false,
        get pathSuspect() {
          return session.online && session.suspect;
        },
        checkPath: () => (world.checks += 1),
        attach: async (_client: unknown, _credentials: unknown, options: { resume?: boolean; resumeDeadlineMs?: number } = {}) => {
          world.attaches += 1;
          world.resumeAllowed.push(options.resume !== false);
          world.resumeDeadlines.push(options.resumeDeadlineMs);
          vi.setSystemTime(Date.now() + world.signInMs);
          if (world.signIn === 'wrong-password') throw Object.assign(new Error('not-authorized'), { name: 'SASLError', condition: 'not-authorized' });
          if (world.signIn === 'resume-unanswered' && options.resume !== false) throw new ResumeUnansweredError(20_000);
          session.online = true;
          session.suspect = false;
          session.resumedStreamReadNothing = options.resume !== false && world.readNothingNext;
          world.readNothingNext = false;
          return world.attaches > 1 ? 'resumed' : 'fresh';
        },
        signOut: async () => {
          session.online = false;
        },
        setPresence: async () => {},
      };
      world.session = session;
      return session;
    },
  },
}));

const squid: Candidate['route'] = { kind: 'proxy', proxy: { type: 'http', host: 'proxy.lab.test', port: 3128, resolveThroughProxy: true } };
const direct: Candidate['route'] = { kind: 'direct' };

function record(attempt: number, route: Candidate['route'], cause: Cause): AttemptRecord {
  const candidate: Candidate = { endpoint: { transport: 'websocket', host: 'chat.lab.test', port: 443, path: '/ws', secure: true, source: 'default' }, route };
  return { attempt, candidate, path: `WebSocket wss://chat.lab.test:443/ws via ${route.kind}`, excluded: false, outcome: 'failed', cause };
}

function raceResult(outcome: Outcome): RaceResult<unknown> {
  const diagnosis = { host: 'chat.lab.test', tried: 2, elapsedMs: 3 };
  switch (outcome) {
    case 'connects': {
      const lost = record(1, direct, { kind: 'other', target: 'chat.lab.test:443', message: 'unforeseen' });
      const candidate = { ...lost.candidate, endpoint: { ...lost.candidate.endpoint, transport: world.winnerTransport } };
      const winner = { ...lost, candidate, outcome: 'won' as const, cause: undefined };
      const client = { refusal: world.refusal };
      return { connected: true, connection: { client, secure: true, close: () => (world.closed += 1) }, winner, attempts: [winner], elapsedMs: 3 } as RaceResult<unknown>;
    }
    case 'server-down':
      return { connected: false, attempts: [record(1, direct, { kind: 'refused', target: 'chat.lab.test:443' })], elapsedMs: 3, diagnosis };
    case 'proxy-refuses-login':
      return {
        connected: false,
        attempts: [
          record(1, squid, { kind: 'proxy-authentication', proxy: 'proxy.lab.test:3128', status: 407, detail: 'Proxy Authentication Required' }),
          record(2, direct, { kind: 'no-answer', target: 'chat.lab.test:443', withinMs: 2000, nextPathTried: false }),
        ],
        elapsedMs: 3,
        diagnosis,
      };
  }
}

let events: EventHub;
let account: Account;
let quirks: ServerQuirks;

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-12-01T10:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  Object.assign(world, { outcome: 'connects', signIn: 'fresh', races: 0, gate: null, closed: 0, session: null, attaches: 0, checks: 0, resumeAllowed: [], resumeDeadlines: [], signInMs: 0, winnerTransport: 'websocket', refusal: null, readNothingNext: false });
  events = new EventHub();
  quirks = new ServerQuirks(memoryStore<LearntQuirks>());
  account = new Account(
    {
      communityId: 'lab',
      dataDir: '/nonexistent',
      connection: {} as never,
      events,
      winners: { forget: () => {}, recall: () => undefined } as never,
      quirks,
      networkFingerprint: async () => 'lab-network',
      backoff: { baseMs: 1000, capMs: 60_000, stableMs: 30_000, random: () => 0.999_999 },
    },
    'Lab',
  );
});

afterEach(async () => {
  await account.close();
  vi.useRealTimers();
});

/** Every promise the account has in flight settles (the fakes answer at once). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

const lifecycle = (): AccountLifecycle => account.state.lifecycle;

/** How long the account waits before its next try, from now. */
function waitMs(): number {
  const state = lifecycle();
  if (state.state !== 'reconnecting' || state.next.step !== 'waiting') throw new Error(`not waiting to retry: ${JSON.stringify(state)}`);
  return state.next.retryAt - Date.now();
}

/** Connects, and lets the retries run until `races` races have failed. */
async function racesFailed(races: number): Promise<void> {
  await account.connect();
  while (world.races < races) {
    await vi.advanceTimersByTimeAsync(waitMs());
    await settled();
  }
}

async function loseStream(): Promise<void> {
  world.session!.online = false;
  world.session!.emit({ type: 'status', status: 'offline' });
  await settled();
}

describe('an account with a wrong proxy password', () => {
  it('races once, then shows failed with the proxy cause and tries nothing more', async () => {
    world.outcome = 'proxy-refuses-login';
    await account.connect();
    expect(lifecycle()).toMatchObject({ state: 'failed', cause: { kind: 'proxy-authentication', proxies: ['HTTP proxy proxy.lab.test:3128'] }, remedy: 'fix-proxy-credentials' });
    expect(vi.getTimerCount()).toBe(0);

    await vi.advanceTimersByTimeAsync(3 * 60_000);
    await settled();
    expect(world.races).toBe(1);
  });
});

describe('an account with a wrong password', () => {
  it('signs in once, then shows failed and asks for the password', async () => {
    world.signIn = 'wrong-password';
    await account.connect();
    expect(lifecycle()).toMatchObject({ state: 'failed', cause: { kind: 'sign-in-refused', condition: 'not-authorized' }, remedy: 'fix-password' });
    expect(vi.getTimerCount()).toBe(0);
    expect(world.races).toBe(1);
  });
});

describe('an account whose server is down', () => {
  it('waits longer after each failed race: 1 s, 2 s, 4 s … up to a minute', async () => {
    world.outcome = 'server-down';
    await account.connect();
    const waits: number[] = [];
    for (let race = 1; race <= 9; race++) {
      expect(world.races).toBe(race);
      const ms = waitMs();
      waits.push(ms);
      await vi.advanceTimersByTimeAsync(ms - 1);
      expect(world.races, 'not a moment early').toBe(race);
      await vi.advanceTimersByTimeAsync(1);
      await settled();
    }
    expect(waits).toEqual([999, 1999, 3999, 7999, 15_999, 31_999, 59_999, 59_999, 59_999]);
  });

  it('counts its failures on the banner and keeps when the trouble began', async () => {
    world.outcome = 'server-down';
    const began = Date.now();
    await account.connect();
    await vi.advanceTimersByTimeAsync(waitMs());
    await settled();
    expect(lifecycle()).toMatchObject({ state: 'reconnecting', since: began, failures: 2, cause: { kind: 'no-path' } });
  });

  it('tries at once on Retry now, and starts the backoff over', async () => {
    world.outcome = 'server-down';
    await racesFailed(5);
    expect(waitMs()).toBe(15_999);

    await account.connect();
    expect(world.races).toBe(6);
    expect(waitMs()).toBe(999);
    expect(vi.getTimerCount()).toBe(1);
  });

  it('tries at once when the network changes, and starts the backoff over', async () => {
    world.outcome = 'server-down';
    await racesFailed(4);
    expect(waitMs()).toBe(7999);

    account.networkChanged();
    await settled();
    expect(world.races).toBe(5);
    expect(waitMs()).toBe(999);
  });

  it('connects on the next try once the server is back, and waits no more', async () => {
    world.outcome = 'server-down';
    await account.connect();
    world.outcome = 'connects';
    await vi.advanceTimersByTimeAsync(waitMs());
    await settled();
    expect(lifecycle()).toMatchObject({ state: 'online', failures: 1 });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('an account that loses its live connection', () => {
  it('reconnects at once after a connection that stayed up, then backs off when the new ones drop soon', async () => {
    await account.connect();
    expect(lifecycle().state).toBe('online');
    await vi.advanceTimersByTimeAsync(60_000);

    await loseStream();
    expect(world.races, 'recovery is at once').toBe(2);
    expect(lifecycle()).toMatchObject({ state: 'online', failures: 0 });

    await vi.advanceTimersByTimeAsync(2000);
    await loseStream();
    expect(world.races, 'the first loss soon after connecting is still recovered at once').toBe(3);
    expect(lifecycle()).toMatchObject({ state: 'online', failures: 1 });

    await vi.advanceTimersByTimeAsync(2000);
    await loseStream();
    expect(world.races, 'a repeated loss waits').toBe(3);
    expect(lifecycle()).toMatchObject({ state: 'reconnecting', cause: { kind: 'stream-lost' }, failures: 2 });
    expect(waitMs()).toBe(1999);
    await vi.advanceTimersByTimeAsync(1999);
    await settled();
    expect(world.races).toBe(4);
    expect(lifecycle()).toMatchObject({ state: 'online', failures: 2 });
  });

  it('reconnects at once, with the count started over, after a connection that carried acknowledged messages, however young', async () => {
    await account.connect();
    for (let loss = 1; loss <= 3; loss++) {
      await vi.advanceTimersByTimeAsync(2000);
      world.session!.streamProven = true;
      await loseStream();
      expect(world.races, `loss ${loss} is recovered at once`).toBe(loss + 1);
      expect(lifecycle()).toMatchObject({ state: 'online', failures: 0 });
    }
  });

  it('says so when the server sent more than Burrow accepts, and backs off however long the stream had lasted', async () => {
    world.refusal = new TooLargeError('stanza', 262_144);
    await account.connect();
    await vi.advanceTimersByTimeAsync(60_000);
    world.session!.streamProven = true;
    await loseStream();
    expect(world.races, 'the first such loss is recovered at once, but counted').toBe(2);
    await vi.advanceTimersByTimeAsync(60_000);
    world.session!.streamProven = true;
    await loseStream();
    expect(world.races, 'the next waits its backoff, though its stream lasted a minute and carried acknowledged messages').toBe(2);
    expect(lifecycle()).toMatchObject({ state: 'reconnecting', cause: { kind: 'too-large', what: 'stanza', limitBytes: 262_144 }, failures: 2 });
  });

  it('says so when the server sent XML that is not well-formed, and backs off however long the stream had lasted', async () => {
    world.refusal = new MalformedXmlError('an end tag closes no element');
    await account.connect();
    await vi.advanceTimersByTimeAsync(60_000);
    world.session!.streamProven = true;
    await loseStream();
    await vi.advanceTimersByTimeAsync(60_000);
    world.session!.streamProven = true;
    await loseStream();
    expect(world.races, 'the second such loss waits its backoff').toBe(2);
    expect(lifecycle()).toMatchObject({ state: 'reconnecting', cause: { kind: 'malformed-xml', detail: 'an end tag closes no element' }, failures: 2 });
  });

  it('meets a resume the server leaves unanswered by learning it, and signs in afresh at once, counting no failure', async () => {
    await account.connect();
    await vi.advanceTimersByTimeAsync(60_000);
    world.signIn = 'resume-unanswered';
    await loseStream();
    expect(world.races, 'the race that met the unanswered resume, and one more at once').toBe(3);
    expect(world.resumeAllowed).toEqual([true, true, false]);
    expect(lifecycle()).toMatchObject({ state: 'online', failures: 0 });
  });

  it('stops every retry when the user signs out', async () => {
    world.outcome = 'server-down';
    await account.connect();
    await account.disconnect();
    expect(lifecycle()).toEqual({ state: 'offline' });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(world.races).toBe(1);
  });
});

describe('an account whose live path turns suspect', () => {
  async function turnSuspect(): Promise<void> {
    world.session!.suspect = true;
    world.session!.emit({ type: 'suspect' });
    await settled();
  }

  it('races beside it and lets the winner take the stream over, staying online and counting no failure', async () => {
    await account.connect();
    const seen: AccountView[] = [];
    events.on('account:changed', (view) => seen.push(view));
    await turnSuspect();
    expect(world.races).toBe(2);
    expect(world.attaches).toBe(2);
    expect(world.closed, 'the old path is let go').toBe(1);
    expect(lifecycle()).toMatchObject({ state: 'online', resumed: true, failures: 0 });
    expect(seen.every((view) => view.lifecycle.state === 'online')).toBe(true);
  });

  it('lets the new path go when the old one speaks again before it is through', async () => {
    await account.connect();
    let open = () => {};
    world.gate = new Promise((resolve) => (open = resolve));
    await turnSuspect();
    world.session!.suspect = false;
    open();
    await settled();
    expect(world.races).toBe(2);
    expect(world.attaches, 'the stream stays where it is').toBe(1);
    expect(world.closed).toBe(1);
  });

  it('leaves the old path to its keepalive when the race beside it finds nothing', async () => {
    await account.connect();
    world.outcome = 'server-down';
    await turnSuspect();
    expect(lifecycle()).toMatchObject({ state: 'online' });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('learns a resume this server breaks, and starts afresh at once the next time between those transports', async () => {
    await account.connect();
    await turnSuspect();
    expect(lifecycle()).toMatchObject({ state: 'online', resumed: true });
    // The server takes the stream back, then ends it before acknowledging anything.
    world.session!.resumedUnproven = true;
    await loseStream();
    expect(world.resumeAllowed).toEqual([true, true, false]);
  });

  it('learns a resume this server breaks from a resumed stream that stayed silent until a path beside it took over', async () => {
    await account.connect();
    await turnSuspect();
    expect(lifecycle()).toMatchObject({ state: 'online', resumed: true });
    // The resumed stream went silent past its grace, with nothing acknowledged: the path beside it starts afresh, and so does the next.
    world.session!.resumedUnproven = true;
    await turnSuspect();
    world.session!.resumedUnproven = false;
    await turnSuspect();
    expect(world.resumeAllowed).toEqual([true, true, false, false]);
  });

  it('does not ask again for a stream the server broke after taking it back, whatever the next transport', async () => {
    await account.connect();
    world.winnerTransport = 'bosh';
    await turnSuspect();
    // Taken back over BOSH, then silent: the server's copy of the stream is what failed, so the next path starts afresh.
    world.session!.resumedUnproven = true;
    world.winnerTransport = 'directtls';
    await turnSuspect();
    world.session!.resumedUnproven = false;
    world.winnerTransport = 'websocket';
    await turnSuspect();
    expect(world.resumeAllowed).toEqual([true, true, false, true]);
  });

  it('learns that the resume before broke the stream when the server read nothing sent on it, and starts afresh at once', async () => {
    await account.connect();
    world.winnerTransport = 'bosh';
    await turnSuspect();
    // Taken back over direct TLS, the stream resumed over BOSH turns out unread: the BOSH resume is what broke it.
    world.winnerTransport = 'directtls';
    world.readNothingNext = true;
    await turnSuspect();
    expect(world.resumeAllowed).toEqual([true, true, true, false]);
    expect(lifecycle()).toMatchObject({ state: 'online' });
    expect(quirks.breaksResume('lab.test', 'websocket→bosh')).toBe(true);
  });

  it('waits for a resume as long as this server has needed (twice its slowest answer), 4 s at least', async () => {
    await account.connect();
    world.signInMs = 5_000;
    await turnSuspect();
    world.signInMs = 0;
    await turnSuspect();
    expect(world.resumeDeadlines).toEqual([4_000, 4_000, 10_000]);
  });

  it('checks the live path at once when the network changes', async () => {
    await account.connect();
    account.networkChanged();
    expect(world.checks).toBe(1);
    expect(world.races).toBe(1);
  });
});

describe('a race the user no longer waits for', () => {
  it('is not heard: a path it wins after the user signed out is closed, and the account stays offline', async () => {
    let open = () => {};
    world.gate = new Promise((resolve) => (open = resolve));
    const connecting = account.connect();
    await settled();
    await account.disconnect();
    open();
    await connecting;
    expect(lifecycle()).toEqual({ state: 'offline' });
    expect(world.closed).toBe(1);
  });

  it('is replaced when the settings change meanwhile: only the new race counts', async () => {
    let open = () => {};
    world.gate = new Promise((resolve) => (open = resolve));
    world.outcome = 'proxy-refuses-login';
    void account.connect();
    await settled();
    world.outcome = 'connects';
    account.settingsChanged('Lab');
    await settled();
    expect(world.races).toBe(2);
    open();
    await settled();
    expect(lifecycle()).toMatchObject({ state: 'online' });
  });
});

describe('what the account tells the UI', () => {
  it('goes through connecting and signing in to online, each state a valid contract payload', async () => {
    const seen: AccountView[] = [];
    events.on('account:changed', (view) => seen.push(view));
    await account.connect();
    const steps = seen.map(({ lifecycle: state }) => (state.state === 'connecting' ? `connecting:${state.step}` : state.state));
    expect(steps.filter((step, i) => step !== steps[i - 1])).toEqual(['connecting:racing', 'connecting:signing-in', 'online']);
    expect(seen.at(-1)).toMatchObject({ jid: 'alice@lab.test', lifecycle: { resumed: false } });
    expect(onlinePath(seen.at(-1)!.lifecycle)).toBe('WebSocket wss://chat.lab.test:443/ws via direct');
  });
});
