import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { attemptCauseWords } from '../../contract/attempt-words.js';
import { parseCommunityAddress } from './address.js';
import { endpointUrl } from '../../contract/attempt-words.js';
import { candidateKey } from './candidate.js';
import type { Candidate } from './candidate.js';
import { learnTimings } from './path-timings.js';
import type { PathTimings } from './path-timings.js';
import { planCandidates, planWithDiscovery } from './plan.js';
import type { DiscoveredEndpoints, Plan } from './plan.js';
import { raceCandidates } from './race.js';
import type { AttemptRecord } from './race.js';
import type { Attempt, AttemptEvent, AttemptStages, EstablishedPath, RaceOptions } from './race.js';

const TLS = 'xmpps://chat.lab.test:5223';
const STARTTLS = 'xmpp://chat.lab.test:5222';
const WSS = 'wss://chat.lab.test:443/xmpp-websocket';
const BOSH_HTTPS = 'https://chat.lab.test:443/http-bind';
const WS = 'ws://chat.lab.test:80/xmpp-websocket';
const BOSH_HTTP = 'http://chat.lab.test:80/http-bind';
/** Where the server announces WebSocket in host-meta (S14). */
const ALT_WSS = 'wss://chat.lab.test:7443/alt/ws';

/**
 * How the fake network treats one endpoint. The route opens (the reach stage) after `reachAfterMs`
 * (default 1), unless it is black-holed ('silent') or refused; then the XMPP stage gives features,
 * fails (e.g. a certificate), or never answers ('mute').
 */
type Behaviour =
  | 'silent'
  | 'mute'
  | { refusedAfterMs: number; code?: string }
  | { reachAfterMs?: number; featuresAfterMs: number; secure?: boolean }
  | { reachAfterMs?: number; failsAfterMs: number; code: string };

interface FakePath extends EstablishedPath {
  url: string;
  closed: boolean;
}

interface FakeSocket {
  url: string;
  closed: boolean;
}

const causeText = (record: AttemptRecord | undefined) => record?.cause && attemptCauseWords(record.cause);

function fakeNetwork(behaviours: Record<string, Behaviour>) {
  const started: string[] = [];
  const negotiated: string[] = [];
  const aborted: string[] = [];
  const paths: FakePath[] = [];
  const sockets: FakeSocket[] = [];
  const signals = new Map<string, AbortSignal>();
  const attempt: Attempt<FakePath> = async (candidate: Candidate, signal: AbortSignal, stages?: AttemptStages) => {
    const url = endpointUrl(candidate.endpoint);
    started.push(url);
    signals.set(url, signal);
    const behaviour = behaviours[url] ?? 'silent';
    /** Waits `ms` (forever when undefined) unless the race aborts. */
    const wait = (ms: number | undefined) =>
      new Promise<void>((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        const timer = ms === undefined ? undefined : setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        });
      });
    const fail = (code: string) => Object.assign(new Error(code), { code });
    try {
      if (typeof behaviour === 'object' && 'refusedAfterMs' in behaviour) {
        await wait(behaviour.refusedAfterMs);
        throw fail(behaviour.code ?? 'ECONNREFUSED');
      }
      await wait(behaviour === 'silent' ? undefined : behaviour === 'mute' ? 1 : (behaviour.reachAfterMs ?? 1));
      const socket: FakeSocket = { url, closed: false };
      sockets.push(socket);
      try {
        await stages?.reached();
        negotiated.push(url);
        if (behaviour === 'mute' || behaviour === 'silent') return await wait(undefined).then(() => never());
        if ('failsAfterMs' in behaviour) {
          await wait(behaviour.failsAfterMs);
          throw fail(behaviour.code);
        }
        await wait(behaviour.featuresAfterMs);
        const path: FakePath = {
          url,
          secure: behaviour.secure ?? candidate.endpoint.secure,
          closed: false,
          close: () => {
            path.closed = true;
            socket.closed = true;
          },
        };
        paths.push(path);
        return path;
      } catch (error) {
        socket.closed = true;
        throw error;
      }
    } catch (error) {
      if (signal.aborted) aborted.push(url);
      throw error;
    }
  };
  return { attempt, started, negotiated, aborted, paths, sockets, signals };
}

function never(): never {
  throw new Error('unreachable');
}

function plan(allowUnencrypted = false) {
  return planCandidates({ address: parseCommunityAddress('chat.lab.test'), method: 'automatic', allowUnencrypted });
}

/** The plan as discovery grows it, `afterMs` into the race. */
function discoveryAnswering(afterMs: number, discovered: DiscoveredEndpoints): Promise<Plan> {
  const input = { address: parseCommunityAddress('chat.lab.test'), method: 'automatic' as const, allowUnencrypted: false };
  return new Promise((resolve) => setTimeout(() => resolve(planWithDiscovery(plan(), input, discovered)), afterMs));
}

const announcingAltWss: DiscoveredEndpoints = { hostMeta: [{ method: 'websocket', href: ALT_WSS }] };

async function race(network: ReturnType<typeof fakeNetwork>, options: Partial<RaceOptions> = {}, allowUnencrypted = false) {
  const events: AttemptEvent[] = [];
  const pending = raceCandidates(plan(allowUnencrypted), network.attempt, {
    allowUnencrypted,
    onEvent: (event) => events.push(event),
    ...options,
  });
  await vi.runAllTimersAsync();
  return { result: await pending, events };
}

function timeline(events: AttemptEvent[]): string[] {
  return events.map(({ type, atMs, record }) => `${atMs} ${type} ${endpointUrl(record.candidate.endpoint)}`);
}

/** The timeline without the routine reach events, which every attempt has. */
function decisions(events: AttemptEvent[]): string[] {
  return timeline(events).filter((line) => !/ (started|reached) /.test(line));
}

describe('raceCandidates', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects on the first path when it answers, opening the other routes but starting no other XMPP', async () => {
    const network = fakeNetwork({ [TLS]: { featuresAfterMs: 30 }, [STARTTLS]: { featuresAfterMs: 5 }, [WSS]: { featuresAfterMs: 5 } });
    const { result, events } = await race(network);
    expect(result.connected).toBe(true);
    expect(result.elapsedMs).toBe(31);
    expect(network.started).toEqual([TLS, STARTTLS, WSS, BOSH_HTTPS]);
    expect(network.negotiated).toEqual([TLS]);
    expect(decisions(events)).toEqual([
      `1 negotiating ${TLS}`,
      `31 won ${TLS}`,
      `31 cancelled ${STARTTLS}`,
      `31 cancelled ${WSS}`,
      `31 cancelled ${BOSH_HTTPS}`,
    ]);
  });

  it('in an open network the first path goes first, and no lower one starts XMPP before the attempt delay', async () => {
    // The lower paths' routes open first, yet the first path's opens within the grace and goes first.
    const network = fakeNetwork({
      [TLS]: { reachAfterMs: 4, featuresAfterMs: 400 },
      [STARTTLS]: { reachAfterMs: 1, featuresAfterMs: 100 },
      [WSS]: { reachAfterMs: 1, featuresAfterMs: 100 },
      [BOSH_HTTPS]: { reachAfterMs: 1, featuresAfterMs: 100 },
    });
    const { result, events } = await race(network);
    expect(result.connected && result.winner.path).toBe('TCP+STARTTLS xmpp://chat.lab.test:5222 via direct');
    expect(decisions(events).slice(0, 4)).toEqual([
      `4 negotiating ${TLS}`,
      `254 overtaken ${TLS}`,
      `254 negotiating ${STARTTLS}`,
      `354 won ${STARTTLS}`,
    ]);
    expect(network.negotiated).toEqual([TLS, STARTTLS]);
  });

  it('starts the next XMPP stage after the attempt delay when the first path is mute, and cancels it when the next wins', async () => {
    const network = fakeNetwork({ [TLS]: 'mute', [STARTTLS]: { featuresAfterMs: 40 } });
    const { result, events } = await race(network);
    expect(result.connected && result.winner.path).toBe('TCP+STARTTLS xmpp://chat.lab.test:5222 via direct');
    expect(result.elapsedMs).toBe(291);
    expect(decisions(events).slice(0, 5)).toEqual([
      `1 negotiating ${TLS}`,
      `251 overtaken ${TLS}`,
      `251 negotiating ${STARTTLS}`,
      `291 won ${STARTTLS}`,
      `291 cancelled ${TLS}`,
    ]);
    expect(network.aborted.toSorted()).toEqual([TLS, WSS, BOSH_HTTPS].toSorted());
    expect(causeText(result.attempts[0])).toBe('no answer from chat.lab.test:5223 within 250 ms; tried the next path');
  });

  it('does not let black-holed higher-priority paths delay a reachable lower one (S3)', async () => {
    const network = fakeNetwork({ [WSS]: { featuresAfterMs: 20 }, [BOSH_HTTPS]: { featuresAfterMs: 20 } });
    const { result, events } = await race(network);
    expect(result.connected && result.winner.path).toBe('WebSocket wss://chat.lab.test:443/xmpp-websocket via direct');
    // The route opened after 1 ms; the silent ones got that plus the 10 ms grace, not an attempt delay each.
    expect(result.elapsedMs).toBe(31);
    expect(decisions(events)).toEqual([
      `11 overtaken ${TLS}`,
      `11 overtaken ${STARTTLS}`,
      `11 negotiating ${WSS}`,
      // The same route and TLS, only another framing: it starts beside it at once.
      `11 negotiating ${BOSH_HTTPS}`,
      `31 won ${WSS}`,
      `31 cancelled ${TLS}`,
      `31 cancelled ${STARTTLS}`,
      `31 cancelled ${BOSH_HTTPS}`,
    ]);
    expect(causeText(result.attempts[0])).toBe('no answer from chat.lab.test:5223 within 11 ms; tried the next path');
    expect(network.negotiated).toEqual([WSS, BOSH_HTTPS]);
  });

  it('in a filtered network lets the faster of the remaining paths win', async () => {
    const network = fakeNetwork({ [WSS]: { featuresAfterMs: 150 }, [BOSH_HTTPS]: { featuresAfterMs: 100 } });
    const { result } = await race(network);
    expect(result.connected && result.connection.url).toBe(BOSH_HTTPS);
    expect(result.elapsedMs).toBe(111);
    expect(result.attempts[2]?.outcome).toBe('cancelled');
    expect(causeText(result.attempts[2])).toBe('cancelled: another path won');
  });

  it('in a filtered network still gives encrypted paths the full attempt delay over unencrypted ones (S8)', async () => {
    const network = fakeNetwork({
      [TLS]: 'silent',
      [STARTTLS]: 'silent',
      [WSS]: { featuresAfterMs: 150 },
      [BOSH_HTTPS]: { featuresAfterMs: 150 },
      [WS]: { featuresAfterMs: 5 },
      [BOSH_HTTP]: { featuresAfterMs: 5 },
    });
    const { result, events } = await race(network, {}, true);
    expect(result.connected && result.connection.url).toBe(WSS);
    const negotiations = decisions(events).filter((line) => line.includes('negotiating'));
    expect(negotiations).toEqual([`11 negotiating ${WSS}`, `11 negotiating ${BOSH_HTTPS}`]);
  });

  it('scales the grace with the time the reachable route needed', async () => {
    const network = fakeNetwork({ [WSS]: { reachAfterMs: 80, featuresAfterMs: 20 } });
    const { result, events } = await race(network);
    expect(decisions(events)).toContain(`100 negotiating ${WSS}`);
    expect(result.elapsedMs).toBe(120);
  });

  it('lets a higher-priority path that reaches late still take its turn and win', async () => {
    const network = fakeNetwork({
      [TLS]: { reachAfterMs: 40, featuresAfterMs: 10 },
      [WSS]: { featuresAfterMs: 600 },
    });
    const { result, events } = await race(network);
    expect(result.connected && result.connection.url).toBe(TLS);
    expect(decisions(events).slice(0, 5)).toEqual([
      `11 overtaken ${TLS}`,
      `11 overtaken ${STARTTLS}`,
      `11 negotiating ${WSS}`,
      `40 negotiating ${TLS}`,
      `50 won ${TLS}`,
    ]);
  });

  it('shows the winner without the silence it was overtaken for', async () => {
    const network = fakeNetwork({
      [TLS]: { reachAfterMs: 40, featuresAfterMs: 10 },
      [WSS]: { featuresAfterMs: 600 },
    });
    const { result, events } = await race(network);
    expect(result.connected && result.winner.cause).toBeUndefined();
    expect(events.find(({ type }) => type === 'won')?.record.cause).toBeUndefined();
  });

  describe('when a path judged black-holed was only slow to open its route (a busy server or client)', () => {
    it('a lower path that has its features waits for it, and the higher one wins when it answers in time', async () => {
      const network = fakeNetwork({ [TLS]: { reachAfterMs: 15, featuresAfterMs: 10 }, [WSS]: { featuresAfterMs: 12 } });
      const { result, events } = await race(network);
      expect(result.connected && result.connection.url).toBe(TLS);
      expect(decisions(events)).toEqual([
        `11 overtaken ${TLS}`,
        `11 overtaken ${STARTTLS}`,
        `11 negotiating ${WSS}`,
        // Its turn comes with the filtered network's short delay; WSS has its features at 23, and waits.
        `21 negotiating ${TLS}`,
        `31 won ${TLS}`,
        `31 cancelled ${STARTTLS}`,
        `31 cancelled ${WSS}`,
        `31 cancelled ${BOSH_HTTPS}`,
      ]);
      expect(network.paths.find(({ url }) => url === WSS)?.closed).toBe(true);
    });

    it('waits only as long as the lower path needed for its own XMPP stage, plus the grace', async () => {
      const network = fakeNetwork({ [TLS]: { reachAfterMs: 15, featuresAfterMs: 100 }, [WSS]: { featuresAfterMs: 12 } });
      const { result } = await race(network);
      expect(result.connected && result.connection.url).toBe(WSS);
      // TLS began its XMPP stage at 21; WSS had needed 12 ms, and the grace is 10 ms.
      expect(result.elapsedMs).toBe(43);
      expect(network.paths.filter(({ closed }) => !closed).map(({ url }) => url)).toEqual([WSS]);
    });

    it('stops waiting at once when the late one fails', async () => {
      const network = fakeNetwork({ [TLS]: { reachAfterMs: 15, failsAfterMs: 2, code: 'ECONNRESET' }, [WSS]: { featuresAfterMs: 12 } });
      const { result } = await race(network);
      expect(result.connected && result.connection.url).toBe(WSS);
      expect(result.elapsedMs).toBe(23);
    });
  });

  it('in an open network a path that merely answers slowly does not make the race hurry', async () => {
    const network = fakeNetwork({ [TLS]: { featuresAfterMs: 300 }, [STARTTLS]: { featuresAfterMs: 100 }, [BOSH_HTTPS]: { featuresAfterMs: 20 } });
    const { result, events } = await race(network);
    expect(result.connected && result.connection.url).toBe(TLS);
    expect(decisions(events).filter((line) => line.includes('negotiating'))).toEqual([`1 negotiating ${TLS}`, `251 negotiating ${STARTTLS}`]);
  });

  it('closes every loser\'s route socket and cancels every loser before the winner is handed over', async () => {
    const network = fakeNetwork({
      [TLS]: 'mute',
      [STARTTLS]: 'silent',
      [WSS]: { reachAfterMs: 20, featuresAfterMs: 20 },
      [BOSH_HTTPS]: { featuresAfterMs: 400 },
    });
    const pending = raceCandidates(plan(), network.attempt, { allowUnencrypted: false });
    let abortedWhenHandedOver: string[] = [];
    void pending.then(() => {
      abortedWhenHandedOver = [...network.signals].filter(([, signal]) => signal.aborted).map(([url]) => url);
    });
    await vi.runAllTimersAsync();
    const result = await pending;
    expect(result.connected && result.connection.url).toBe(WSS);
    expect(result.elapsedMs).toBe(271);
    // Every other attempt was aborted (and never authenticated) by the time the caller got the winner.
    expect(abortedWhenHandedOver.toSorted()).toEqual([TLS, STARTTLS, BOSH_HTTPS].toSorted());
    expect(network.sockets.filter((socket) => !socket.closed).map((socket) => socket.url)).toEqual([WSS]);
    expect(network.paths.map((path) => path.url)).toEqual([WSS]);
  });

  it('opens at most the fan-out of routes at once, and one more per attempt delay while they stay silent', async () => {
    const network = fakeNetwork({ [WSS]: { featuresAfterMs: 20 } });
    const { result, events } = await race(network, { strategy: { kind: 'race', attemptDelayMs: 250, reachFanOut: 2 } });
    expect(timeline(events).filter((line) => line.includes(' started '))).toEqual([
      `0 started ${TLS}`,
      `0 started ${STARTTLS}`,
      `250 started ${WSS}`,
      `251 started ${BOSH_HTTPS}`,
    ]);
    expect(result.elapsedMs).toBe(271);
  });

  it('moves to the next path at once when one is refused', async () => {
    const network = fakeNetwork({
      [TLS]: { refusedAfterMs: 3 },
      [STARTTLS]: { refusedAfterMs: 3 },
      [WSS]: { featuresAfterMs: 20 },
    });
    const { result, events } = await race(network);
    expect(result.elapsedMs).toBe(23);
    expect(decisions(events).slice(0, 3)).toEqual([`3 failed ${TLS}`, `3 failed ${STARTTLS}`, `3 negotiating ${WSS}`]);
    expect(result.attempts[0]?.cause).toEqual({ kind: 'refused', target: 'chat.lab.test:5223' });
  });

  it('goes on to the next XMPP stage at once when one fails', async () => {
    const network = fakeNetwork({ [TLS]: { failsAfterMs: 4, code: 'ECONNRESET' }, [STARTTLS]: { featuresAfterMs: 5 } });
    const { result, events } = await race(network);
    expect(decisions(events).slice(0, 3)).toEqual([`1 negotiating ${TLS}`, `5 failed ${TLS}`, `5 negotiating ${STARTTLS}`]);
    expect(result.elapsedMs).toBe(10);
  });

  it('closes a path that reaches its features after another has won, so only one session is authenticated', async () => {
    const network = fakeNetwork({ [TLS]: { featuresAfterMs: 260 }, [STARTTLS]: { featuresAfterMs: 5 } });
    const { result } = await race(network);
    expect(result.connected && result.connection.url).toBe(STARTTLS);
    expect(network.aborted.toSorted()).toEqual([TLS, WSS, BOSH_HTTPS].toSorted());
    expect(network.paths.filter((path) => path.closed)).toEqual([]);
    expect(network.paths.map((path) => path.url)).toEqual([STARTTLS]);
  });

  it('does not let a path win that turned out unencrypted, unless that is allowed', async () => {
    const insecure = { [TLS]: { featuresAfterMs: 5, secure: false }, [STARTTLS]: { featuresAfterMs: 5 } };
    const refused = fakeNetwork(insecure);
    const { result } = await race(refused);
    expect(result.connected && result.connection.url).toBe(STARTTLS);
    expect(refused.paths[0]?.closed).toBe(true);
    expect(causeText(result.attempts[0])).toBe(
      'direct TLS xmpps://chat.lab.test:5223 via direct carried XMPP only without encryption, which is not allowed',
    );

    const allowed = fakeNetwork(insecure);
    expect((await race(allowed, {}, true)).result.connected && allowed.paths[0]?.closed).toBe(false);
  });

  it('gives up at the overall deadline with every attempt and its cause', async () => {
    const network = fakeNetwork({});
    const { result } = await race(network, { deadlineMs: 20_000 });
    expect(result.connected).toBe(false);
    expect(result.elapsedMs).toBe(20_000);
    if (result.connected) return;
    expect(result.diagnosis).toEqual({
      host: 'chat.lab.test',
      tried: 4,
      elapsedMs: 20_000,
      obstacle: { kind: 'ports-blocked', host: 'chat.lab.test', ports: [443, 5222, 5223], silent: true, route: 'direct' },
    });
    expect(result.attempts.filter((record) => !record.excluded).map((record) => [record.outcome, causeText(record)])).toEqual([
      ['failed', 'no answer from chat.lab.test:5223 within 20000 ms'],
      ['failed', 'no answer from chat.lab.test:5222 within 20000 ms'],
      ['failed', 'no answer from chat.lab.test:443 within 20000 ms'],
      ['failed', 'no answer from chat.lab.test:443 within 20000 ms'],
    ]);
  });

  it('finishes as soon as every path has failed, without waiting for the deadline', async () => {
    const refusedEverywhere = Object.fromEntries([TLS, STARTTLS, WSS, BOSH_HTTPS, WS, BOSH_HTTP].map((url) => [url, { refusedAfterMs: 2 }]));
    const { result } = await race(fakeNetwork(refusedEverywhere));
    expect(result.connected).toBe(false);
    expect(result.elapsedMs).toBe(4);
    expect(!result.connected && result.diagnosis.obstacle).toMatchObject({ kind: 'ports-blocked', silent: false, ports: [443, 5222, 5223] });
  });

  it('probes the excluded plaintext paths to say that only unencrypted HTTP was reachable', async () => {
    const network = fakeNetwork({
      [TLS]: { refusedAfterMs: 2 },
      [STARTTLS]: { refusedAfterMs: 2 },
      [WSS]: { refusedAfterMs: 2 },
      [BOSH_HTTPS]: { refusedAfterMs: 2 },
      [WS]: { failsAfterMs: 2, code: 'ECONNRESET' },
      [BOSH_HTTP]: { featuresAfterMs: 10 },
    });
    const { result } = await race(network);
    expect(result.connected).toBe(false);
    if (result.connected) return;
    expect(result.diagnosis.obstacle).toMatchObject({ kind: 'unencrypted-only', paths: [{ transport: 'bosh', endpoint: { port: 80, secure: false } }] });
    expect(network.paths.find((path) => path.url === BOSH_HTTP)?.closed).toBe(true);
  });

  it('never falls back to a plaintext path after a certificate failure, even one whose route is open', async () => {
    const network = fakeNetwork({
      [TLS]: { failsAfterMs: 5, code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
      [STARTTLS]: { failsAfterMs: 5, code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
      [WSS]: { failsAfterMs: 5, code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
      [BOSH_HTTPS]: { failsAfterMs: 5, code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
      [WS]: { featuresAfterMs: 1 },
      [BOSH_HTTP]: { featuresAfterMs: 1 },
    });
    const { result } = await race(network, {}, true);
    expect(result.connected).toBe(false);
    expect(network.negotiated).toEqual([TLS, STARTTLS, WSS, BOSH_HTTPS]);
    expect(network.sockets.every((socket) => socket.closed)).toBe(true);
    expect(result.attempts.map((record) => record.outcome)).toEqual(['failed', 'failed', 'failed', 'failed', 'skipped', 'skipped']);
    expect(!result.connected && result.diagnosis.obstacle).toMatchObject({ kind: 'certificate', expectedName: 'chat.lab.test' });
  });

  it('does not point to unencrypted paths after a certificate failure', async () => {
    const network = fakeNetwork({
      [TLS]: { failsAfterMs: 5, code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
      [STARTTLS]: { failsAfterMs: 5, code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
      [WSS]: { failsAfterMs: 5, code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
      [BOSH_HTTPS]: { failsAfterMs: 5, code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
      [BOSH_HTTP]: { featuresAfterMs: 1 },
    });
    const { result } = await race(network);
    expect(network.started).not.toContain(BOSH_HTTP);
    expect(!result.connected && result.diagnosis.obstacle).toMatchObject({ kind: 'certificate', expectedName: 'chat.lab.test' });
  });

  describe('with discovery answering while it runs', () => {
    it('races the paths discovery adds, in their place in the plan', async () => {
      const network = fakeNetwork({ [WSS]: 'mute', [BOSH_HTTPS]: 'mute', [ALT_WSS]: { featuresAfterMs: 20 } });
      const { result, events } = await race(network, { discoveredPlan: discoveryAnswering(50, announcingAltWss) });
      expect(result.connected && result.connection.url).toBe(ALT_WSS);
      expect(result.elapsedMs).toBe(71);
      expect(decisions(events).slice(0, 6)).toEqual([
        `11 overtaken ${TLS}`,
        `11 overtaken ${STARTTLS}`,
        `11 negotiating ${WSS}`,
        `11 negotiating ${BOSH_HTTPS}`,
        `51 negotiating ${ALT_WSS}`,
        `71 won ${ALT_WSS}`,
      ]);
      expect(result.attempts.map((record) => endpointUrl(record.candidate.endpoint))).toEqual([TLS, STARTTLS, ALT_WSS, WSS, BOSH_HTTPS, WS, BOSH_HTTP]);
      expect(result.connected && result.winner.attempt).toBe(6);
    });

    it('does not give up when every planned path has failed while discovery may still add one', async () => {
      const refused = Object.fromEntries([TLS, STARTTLS, WSS, BOSH_HTTPS, WS, BOSH_HTTP].map((url) => [url, { refusedAfterMs: 2 }]));
      const network = fakeNetwork({ ...refused, [ALT_WSS]: { featuresAfterMs: 20 } });
      const { result } = await race(network, { discoveredPlan: discoveryAnswering(100, announcingAltWss) });
      expect(result.connected && result.connection.url).toBe(ALT_WSS);
      expect(result.elapsedMs).toBe(121);
    });

    it('gives up once discovery has answered with nothing new', async () => {
      const refused = Object.fromEntries([TLS, STARTTLS, WSS, BOSH_HTTPS, WS, BOSH_HTTP].map((url) => [url, { refusedAfterMs: 2 }]));
      const { result } = await race(fakeNetwork(refused), { discoveredPlan: discoveryAnswering(100, {}) });
      expect(result.connected).toBe(false);
      expect(result.elapsedMs).toBe(100);
    });

    it('does not try a path twice when discovery finds one already planned', async () => {
      const network = fakeNetwork({ [TLS]: { featuresAfterMs: 30 } });
      const samePaths: DiscoveredEndpoints = {
        srv: [{ service: 'xmpps-client', target: 'chat.lab.test', port: 5223, priority: 0, weight: 0 }],
        hostMeta: [{ method: 'websocket', href: WSS }],
      };
      const { result } = await race(network, { discoveredPlan: discoveryAnswering(10, samePaths) });
      expect(result.connected && result.connection.url).toBe(TLS);
      expect(network.started).toEqual([TLS, STARTTLS, WSS, BOSH_HTTPS]);
      expect(result.attempts).toHaveLength(6);
    });

    it('is not held up by discovery answering after it has won', async () => {
      const network = fakeNetwork({ [TLS]: { featuresAfterMs: 30 }, [ALT_WSS]: { featuresAfterMs: 1 } });
      const { result } = await race(network, { discoveredPlan: discoveryAnswering(500, announcingAltWss) });
      expect(result.elapsedMs).toBe(31);
      expect(network.started).not.toContain(ALT_WSS);
    });
  });

  describe('when only unencrypted HTTP answers (S4)', () => {
    const onlyPlaintext = { [WS]: { featuresAfterMs: 5 }, [BOSH_HTTP]: { featuresAfterMs: 5 } };

    it('probes the plaintext paths once the allowed ones have been silent for an attempt delay', async () => {
      const network = fakeNetwork(onlyPlaintext);
      const { events } = await race(network);
      expect(timeline(events).filter((line) => / (started|reachable) /.test(line))).toEqual([
        `0 started ${TLS}`,
        `0 started ${STARTTLS}`,
        `0 started ${WSS}`,
        `0 started ${BOSH_HTTPS}`,
        `250 started ${WS}`,
        `250 started ${BOSH_HTTP}`,
        `256 reachable ${WS}`,
        `256 reachable ${BOSH_HTTP}`,
      ]);
    });

    it('gives up on allowed paths silent for the black-hole limit, and says how to connect', async () => {
      const { result } = await race(fakeNetwork(onlyPlaintext));
      expect(result.connected).toBe(false);
      expect(result.elapsedMs).toBe(2000);
      if (result.connected) return;
      expect(result.diagnosis.obstacle).toMatchObject({ kind: 'unencrypted-only', paths: [{ transport: 'websocket' }, { transport: 'bosh' }] });
      expect(causeText(result.attempts[0])).toBe('no answer from chat.lab.test:5223 within 2000 ms');
    });

    it('waits for discovery before giving up', async () => {
      const { result } = await race(fakeNetwork(onlyPlaintext), { discoveredPlan: discoveryAnswering(3000, {}) });
      expect(result.elapsedMs).toBe(3000);
    });

    it('waits for an allowed path whose route has opened, however late: it is slow, not black-holed', async () => {
      const network = fakeNetwork({ ...onlyPlaintext, [TLS]: { reachAfterMs: 1500, failsAfterMs: 3000, code: 'ECONNRESET' } });
      const { result } = await race(network);
      expect(result.elapsedMs).toBe(4500);
      expect(result.attempts[0]?.cause?.kind).toBe('reset');
    });
  });

  it('tries the remembered winner first', async () => {
    const network = fakeNetwork({ [BOSH_HTTPS]: { featuresAfterMs: 15 }, [TLS]: { featuresAfterMs: 5 } });
    const rememberedWinner = plan().candidates[3];
    const warm = planCandidates({
      address: parseCommunityAddress('chat.lab.test'),
      method: 'automatic',
      allowUnencrypted: false,
      rememberedWinner,
    });
    const pending = raceCandidates(warm, network.attempt, { allowUnencrypted: false });
    await vi.runAllTimersAsync();
    const result = await pending;
    expect(result.connected && result.connection.url).toBe(BOSH_HTTPS);
    expect(result.elapsedMs).toBe(16);
    expect(network.negotiated).toEqual([BOSH_HTTPS]);
  });

  describe('judging WebSocket and BOSH over the same route by time (S5)', () => {
    // Behind an HTTP proxy that refuses CONNECT to 5222/5223: BOSH has its features a round trip before WebSocket.
    const behindProxy = {
      [TLS]: { refusedAfterMs: 1, code: 'proxy-403' },
      [STARTTLS]: { refusedAfterMs: 1, code: 'proxy-403' },
      [WSS]: { featuresAfterMs: 200 },
      [BOSH_HTTPS]: { featuresAfterMs: 150 },
    };

    function warmPlan(timings: PathTimings) {
      return planCandidates({ address: parseCommunityAddress('chat.lab.test'), method: 'automatic', allowUnencrypted: false, timings });
    }

    async function warmRace(network: ReturnType<typeof fakeNetwork>, timings: PathTimings) {
      const events: AttemptEvent[] = [];
      const pending = raceCandidates(warmPlan(timings), network.attempt, { allowUnencrypted: false, timings, onEvent: (event) => events.push(event) });
      await vi.runAllTimersAsync();
      return { result: await pending, events };
    }

    it('starts BOSH beside WebSocket at once, and the one with its features first wins', async () => {
      const network = fakeNetwork(behindProxy);
      const { result, events } = await race(network);
      expect(result.connected && result.connection.url).toBe(BOSH_HTTPS);
      expect(result.elapsedMs).toBe(151);
      expect(decisions(events).filter((line) => line.includes('negotiating'))).toEqual([`1 negotiating ${WSS}`, `1 negotiating ${BOSH_HTTPS}`]);
    });

    it('learns the winner\'s time and that the loser was slower, and next time runs the winner alone', async () => {
      const cold = await race(fakeNetwork(behindProxy));
      const timings = learnTimings(new Map(), cold.result.attempts);
      expect(timings.get(candidateKey(plan().candidates[3]!))).toEqual({ kind: 'measured', ms: 151 });
      expect(timings.get(candidateKey(plan().candidates[2]!))).toEqual({ kind: 'slower-than', ms: 151 });
      expect(timings.has(candidateKey(plan().candidates[0]!))).toBe(false);

      const network = fakeNetwork(behindProxy);
      const { result } = await warmRace(network, timings);
      expect(result.connected && result.connection.url).toBe(BOSH_HTTPS);
      expect(result.elapsedMs).toBe(151);
      expect(network.negotiated).toEqual([BOSH_HTTPS]);
    });

    it('checks a remembered WebSocket winner against BOSH, not yet measured, and BOSH takes its place', async () => {
      const timings: PathTimings = new Map([[candidateKey(plan().candidates[2]!), { kind: 'measured', ms: 201 }]]);
      const network = fakeNetwork(behindProxy);
      const { result } = await warmRace(network, timings);
      expect(network.negotiated).toEqual([WSS, BOSH_HTTPS]);
      expect(result.connected && result.connection.url).toBe(BOSH_HTTPS);
      expect(learnTimings(timings, result.attempts).get(candidateKey(plan().candidates[3]!))).toEqual({ kind: 'measured', ms: 151 });
    });

    it('forgets the time of a path that failed, and the faster one goes first again', async () => {
      const timings: PathTimings = new Map([
        [candidateKey(plan().candidates[3]!), { kind: 'measured', ms: 151 }],
        [candidateKey(plan().candidates[2]!), { kind: 'slower-than', ms: 151 }],
      ]);
      const network = fakeNetwork({ ...behindProxy, [BOSH_HTTPS]: { failsAfterMs: 5, code: 'ECONNRESET' } });
      const { result } = await warmRace(network, timings);
      expect(result.connected && result.connection.url).toBe(WSS);
      const learnt = learnTimings(timings, result.attempts);
      expect(learnt.has(candidateKey(plan().candidates[3]!))).toBe(false);
      expect(warmPlan(learnt).candidates.map((candidate) => endpointUrl(candidate.endpoint)).slice(0, 2)).toEqual([WSS, TLS]);
    });
  });

  it('keeps proxy passwords out of its events and results, but gives them to the attempt', async () => {
    const proxy = { type: 'http' as const, host: 'proxy.lab.test', port: 3128, username: 'alice', password: 's3cret', resolveThroughProxy: true };
    const proxied = planCandidates({ address: parseCommunityAddress('chat.lab.test'), method: 'proxy', proxy, allowUnencrypted: false });
    const given: Candidate[] = [];
    const events: AttemptEvent[] = [];
    const pending = raceCandidates(
      proxied,
      async (candidate) => {
        given.push(candidate);
        return { secure: true, close: () => {} };
      },
      { allowUnencrypted: false, onEvent: (event) => events.push(event) },
    );
    await vi.runAllTimersAsync();
    const result = await pending;
    expect(JSON.stringify(given)).toContain('s3cret');
    expect(JSON.stringify(events)).not.toContain('s3cret');
    expect(JSON.stringify(result.attempts)).not.toContain('s3cret');
  });

  describe('the sequential baseline', () => {
    it('waits out each attempt\'s timeout before trying the next path', async () => {
      const network = fakeNetwork({ [WSS]: { featuresAfterMs: 20 } });
      const { result, events } = await race(network, {
        strategy: { kind: 'sequential', attemptTimeoutMs: 5000 },
        deadlineMs: 60_000,
      });
      expect(result.elapsedMs).toBe(10_021);
      expect(timeline(events).filter((line) => !/ (reached|negotiating) /.test(line))).toEqual([
        `0 started ${TLS}`,
        `5000 failed ${TLS}`,
        `5000 started ${STARTTLS}`,
        `10000 failed ${STARTTLS}`,
        `10000 started ${WSS}`,
        `10021 won ${WSS}`,
      ]);
      expect(network.started).toEqual([TLS, STARTTLS, WSS]);
      expect(causeText(result.attempts[0])).toBe('no answer from chat.lab.test:5223 within 5000 ms; tried the next path');
    });

    it('still moves on at once after a refusal', async () => {
      const network = fakeNetwork({ [TLS]: { refusedAfterMs: 2 }, [STARTTLS]: { featuresAfterMs: 3 } });
      const { result } = await race(network, { strategy: { kind: 'sequential', attemptTimeoutMs: 5000 } });
      expect(result.elapsedMs).toBe(6);
    });
  });
});
