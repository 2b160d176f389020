/**
 * Storm counters: what one Burrow account costs a corporate proxy and a server when retrying cannot
 * help. Counted where the other side sees it — squid's access log, and the SYNs reaching the server
 * in world — over a bounded window: BURROW_STORM_MS (default 90 s; the issue's figures are 3 minutes
 * of wrong proxy password and 2 minutes of server down: BURROW_STORM_MS=180000).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';

import { DrivenCore } from '../../../bench/core-client.js';
import type { DriverConfig } from '../../../bench/core-driver.js';
import { accountStatusLine } from '../../contract/account-words.js';
import { isTrying, type AccountView } from '../../contract/contract.js';
import type { AuthenticatedProxyEndpoint, Lab } from '../../../lab/lab.js';
import { describeWithLab } from '../../../lab/testing.js';
import { credentialsSent, isFailedLogin, proxyLog } from '../connection/testing/lab-connect.js';

const stormMs = Number(process.env.BURROW_STORM_MS ?? 90_000);
const communityId = 'lab';
/** The account's default backoff (retry-policy.ts): the bound below assumes it. */
const backoff = { baseMs: 1_000, capMs: 60_000 };
/** What one race may open towards the server: its planned paths (up to 6 with discovery's) and the host-meta request. */
const connectionsPerRace = 8;
/** Connections closer together than this belong to one race. */
const raceGapMs = 500;

/** A DrivenCore for alice, recording every account state with the time it was seen. */
async function startAlice(lab: Lab, dataDir: string, overrides: Partial<DriverConfig> = {}) {
  const account = lab.accounts.find((candidate) => candidate.username === 'alice');
  if (!account) throw new Error('the lab has no account alice');
  const core = await DrivenCore.start(lab, {
    dataDir,
    community: { id: communityId, displayName: 'Lab', hostServer: lab.domain, username: 'alice' },
    password: account.password,
    caFile: lab.caFile,
    ...overrides,
  });
  const before = core.latestOf('account:changed');
  const states: { at: number; view: AccountView }[] = before ? [{ at: Date.now(), view: before }] : [];
  core.on('account:changed', (view) => states.push({ at: Date.now(), view }));
  return { core, states };
}

/** Alice's community set to "Use proxy" through this lab proxy, with its user name, and `proxyPassword` typed. */
function throughProxy(lab: Lab, proxy: AuthenticatedProxyEndpoint, proxyPassword: string): Partial<DriverConfig> {
  return {
    community: {
      id: communityId,
      displayName: 'Lab',
      hostServer: lab.domain,
      username: 'alice',
      useGlobalConnection: false,
      connection: { method: 'proxy', proxy: { type: 'http', host: proxy.host, port: proxy.port, username: proxy.username, resolveThroughProxy: true } },
    },
    proxyPassword,
  };
}

const trying = ({ lifecycle }: AccountView) => isTrying(lifecycle);

/** Races the account started: each entry into trying from another state. */
function raceStarts(states: readonly { at: number; view: AccountView }[]): number[] {
  return states.filter((state, i) => trying(state.view) && !(states[i - 1] && trying(states[i - 1]!.view))).map((state) => state.at);
}

/**
 * The most races full-jitter backoff lets through in `windowMs` unless its random draws are
 * improbably low: as if every delay were a quarter of its ceiling min(cap, base × 2^n).
 */
function raceBound(windowMs: number): number {
  let races = 1;
  for (let elapsed = 0; elapsed < windowMs; races++) elapsed += Math.min(backoff.capMs, backoff.baseMs * 2 ** (races - 1)) / 4;
  return races;
}

describeWithLab('storm counters: wrong proxy password (S6)', { scenario: 'S6' }, (lab) => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'burrow-storm-lab-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it(`logs in at most once per race, over at most 3 races, then says "failed" for the proxy's authentication (${stormMs} ms)`, async () => {
    const logged = proxyLog(lab()).length;
    const startedAt = Date.now();
    const { core, states } = await startAlice(lab(), folder, throughProxy(lab(), lab().proxies.httpAuth, 'not-the-password'));
    try {
      await new Promise((resolve) => setTimeout(resolve, stormMs - (Date.now() - startedAt)));
    } finally {
      await core.stop();
    }
    const stoppedAt = startedAt + stormMs;

    const deniedLines = proxyLog(lab(), logged).filter(isFailedLogin);
    const denied = deniedLines.map((line) => Math.round(Number(line.split(/\s+/)[0]) * 1000));
    const races = raceStarts(states);
    const perRace = races.map((start, i) => denied.filter((at) => at >= start - 50 && at < (races[i + 1] ?? Infinity) - 50).length);
    // What the account showed when the window ended, before stopping signed it out.
    const last = states.findLast((state) => state.at <= stoppedAt)?.view;
    console.log(
      [
        `wrong proxy password for ${stormMs} ms: ${denied.length} failed logins (407) in squid's log, ${races.length} races`,
        `  407s per race: ${perRace.join(', ')}`,
        ...deniedLines.map((line) => `  ${line.split(/\s+/).slice(5, 7).join(' ')}`),
        `  races began at (s): ${races.map((at) => ((at - startedAt) / 1000).toFixed(1)).join(', ')}`,
        `  last state: ${last ? accountStatusLine(last) : 'none'}`,
      ].join('\n'),
    );

    expect(races.length, 'races').toBeGreaterThan(0);
    expect(races.length, 'races').toBeLessThanOrEqual(3);
    expect(denied.length, 'failed logins in the proxy log').toBeLessThanOrEqual(races.length);
    expect(Math.max(...perRace), 'failed logins in one race').toBeLessThanOrEqual(1);
    expect(last?.lifecycle).toMatchObject({ state: 'failed', cause: { kind: 'proxy-authentication' }, remedy: 'fix-proxy-credentials' });
  }, stormMs + 60_000);
});

describeWithLab('storm counters: a proxy that wants Negotiate (S15N)', { scenario: 'S15N' }, (lab) => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'burrow-storm-lab-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it(`races once, sends the proxy no credentials, then says "failed" until IT changes the proxy (${stormMs} ms)`, async () => {
    const { negotiate } = lab().proxies;
    const logged = proxyLog(lab(), 0, 'negotiate').length;
    const startedAt = Date.now();
    // The right Kerberos password, typed: what plain Node cannot use, since it has no Kerberos client.
    const { core, states } = await startAlice(lab(), folder, throughProxy(lab(), negotiate, negotiate.password));
    try {
      await new Promise((resolve) => setTimeout(resolve, stormMs - (Date.now() - startedAt)));
    } finally {
      await core.stop();
    }
    const stoppedAt = startedAt + stormMs;

    const requests = proxyLog(lab(), logged, 'negotiate');
    const races = raceStarts(states);
    const last = states.findLast((state) => state.at <= stoppedAt)?.view;
    console.log(
      [
        `a proxy wanting Negotiate for ${stormMs} ms: ${requests.length} requests in its log, ${requests.filter(isFailedLogin).length} failed logins, ${races.length} races`,
        ...requests.map((line) => `  ${line.split(/\s+/).slice(3, 7).join(' ')}`),
        `  last state: ${last ? accountStatusLine(last) : 'none'}`,
      ].join('\n'),
    );

    // Retrying cannot help until the proxy's administrators allow another sign-in: one race, and no more.
    expect(races.length, 'races').toBe(1);
    expect(requests.length, 'requests to the proxy').toBeGreaterThan(0);
    expect(requests.length, 'requests to the proxy').toBeLessThanOrEqual(connectionsPerRace);
    // Nothing it could not use went to the proxy, so the proxy refused no login.
    expect(requests.filter((line) => credentialsSent(line) !== undefined)).toEqual([]);
    expect(requests.filter(isFailedLogin)).toEqual([]);
    expect(last?.lifecycle).toMatchObject({ state: 'failed', cause: { kind: 'proxy-authentication' }, remedy: 'ask-proxy-administrator' });
  }, stormMs + 60_000);
});

describeWithLab('storm counters: server down (S1)', { scenario: 'S1' }, (lab) => {
  let folder: string;
  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'burrow-storm-lab-'));
  });
  afterEach(() => rm(folder, { recursive: true, force: true }));

  it(`meets a server that is down with attempts spaced by a growing backoff (${stormMs} ms down)`, async () => {
    const { core, states } = await startAlice(lab(), folder);
    try {
      await core.reaches('account:changed', (view) => view.lifecycle.state === 'online', 30_000, 'alice to connect');
      await lab().stopServer();
      const downAt = Date.now();
      const before = await lab().serverConnectionCount();
      const connections: number[] = [];
      // Polled, so each connection's time is known to within the poll interval.
      for (let seen = before; Date.now() - downAt < stormMs; ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const count = await lab().serverConnectionCount();
        for (; seen < count; seen++) connections.push(Date.now() - downAt);
      }
      const upAt = Date.now();
      await lab().startServer();
      const back = await core
        .waitFor('account:changed', (view) => view.lifecycle.state === 'online', 90_000, 'alice to connect after the server came back')
        .then(() => Date.now() - upAt)
        .catch(() => null);

      const bursts = connections.reduce<number[][]>((groups, at) => {
        const current = groups.at(-1);
        if (current && at - current.at(-1)! < raceGapMs) current.push(at);
        else groups.push([at]);
        return groups;
      }, []);
      const gaps = bursts.slice(1).map((burst, i) => burst[0]! - bursts[i]![0]!);
      const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length);
      const half = Math.floor(gaps.length / 2);
      const races = raceStarts(states.filter((state) => state.at >= downAt && state.at < upAt));
      console.log(
        [
          `server down for ${stormMs} ms: ${connections.length} connections reached it in ${bursts.length} bursts; the account started ${races.length} races`,
          `  bursts began at (s): ${bursts.map((burst) => (burst[0]! / 1000).toFixed(1)).join(', ')}`,
          `  gaps between bursts (ms): ${gaps.join(', ')}`,
          `  connected again ${back === null ? 'not within 90 s' : `${back} ms`} after the server was started again`,
        ].join('\n'),
      );

      // Counted per race the account started, not per burst: two races a retry apart reach the server as one burst.
      expect(races.length, 'races while the server was down').toBeLessThanOrEqual(raceBound(stormMs));
      // A race reaches each planned path once (direct TLS, STARTTLS, WebSocket and BOSH, and what discovery adds) and fetches host-meta.
      expect(connections.length, 'connections per race').toBeLessThanOrEqual(races.length * connectionsPerRace);
      // Growing: the later half of the gaps is longer, on average, than the earlier half.
      expect(gaps.length).toBeGreaterThanOrEqual(3);
      expect(mean(gaps.slice(half))).toBeGreaterThan(mean(gaps.slice(0, half)));
      expect(back, 'connected again after the server came back').not.toBeNull();
    } finally {
      await core.stop();
    }
  }, stormMs + 180_000);
});
