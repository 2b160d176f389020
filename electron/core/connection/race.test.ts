import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { parseCommunityAddress } from './address.js';
import { endpointUrl } from './candidate.js';
import type { Candidate } from './candidate.js';
import { planCandidates } from './plan.js';
import { raceCandidates } from './race.js';
import type { Attempt, AttemptEvent, EstablishedPath, RaceOptions } from './race.js';

const TLS = 'xmpps://chat.lab.test:5223';
const STARTTLS = 'xmpp://chat.lab.test:5222';
const WSS = 'wss://chat.lab.test:443/xmpp-websocket';
const BOSH_HTTPS = 'https://chat.lab.test:443/http-bind';
const WS = 'ws://chat.lab.test:80/xmpp-websocket';
const BOSH_HTTP = 'http://chat.lab.test:80/http-bind';

/** How the fake network treats one endpoint: features after some time, a failure, or silence. */
type Behaviour = { featuresAfterMs: number; secure?: boolean } | { failsAfterMs: number; code: string } | 'silent';

interface FakePath extends EstablishedPath {
  url: string;
  closed: boolean;
}

function fakeNetwork(behaviours: Record<string, Behaviour>) {
  const started: string[] = [];
  const aborted: string[] = [];
  const paths: FakePath[] = [];
  const attempt: Attempt<FakePath> = (candidate: Candidate, signal: AbortSignal) =>
    new Promise((resolve, reject) => {
      const url = endpointUrl(candidate.endpoint);
      started.push(url);
      const behaviour = behaviours[url] ?? 'silent';
      let timer: NodeJS.Timeout | undefined;
      if (behaviour !== 'silent' && 'featuresAfterMs' in behaviour) {
        timer = setTimeout(() => {
          const path: FakePath = {
            url,
            secure: behaviour.secure ?? candidate.endpoint.secure,
            closed: false,
            close: () => {
              path.closed = true;
            },
          };
          paths.push(path);
          resolve(path);
        }, behaviour.featuresAfterMs);
      } else if (behaviour !== 'silent') {
        timer = setTimeout(() => reject(Object.assign(new Error(behaviour.code), { code: behaviour.code })), behaviour.failsAfterMs);
      }
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        aborted.push(url);
        reject(new DOMException('aborted', 'AbortError'));
      });
    });
  return { attempt, started, aborted, paths };
}

function plan(allowUnencrypted = false) {
  return planCandidates({ address: parseCommunityAddress('chat.lab.test'), method: 'automatic', allowUnencrypted });
}

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

describe('raceCandidates', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('connects on the first path when it answers within the attempt delay, without starting others', async () => {
    const network = fakeNetwork({ [TLS]: { featuresAfterMs: 30 } });
    const { result, events } = await race(network);
    expect(result.connected).toBe(true);
    expect(result.elapsedMs).toBe(30);
    expect(network.started).toEqual([TLS]);
    expect(timeline(events)).toEqual([`0 started ${TLS}`, `30 won ${TLS}`]);
  });

  it('starts the next path after the attempt delay and cancels the silent one when the next wins', async () => {
    const network = fakeNetwork({ [STARTTLS]: { featuresAfterMs: 40 } });
    const { result, events } = await race(network);
    expect(result.connected && result.winner.path).toBe('TCP+STARTTLS xmpp://chat.lab.test:5222 via direct');
    expect(result.elapsedMs).toBe(290);
    expect(timeline(events)).toEqual([
      `0 started ${TLS}`,
      `250 overtaken ${TLS}`,
      `250 started ${STARTTLS}`,
      `290 won ${STARTTLS}`,
      `290 cancelled ${TLS}`,
    ]);
    expect(network.aborted).toEqual([TLS]);
    expect(result.attempts[0]?.cause?.text).toBe('no answer from chat.lab.test:5223 within 250 ms; tried the next path');
  });

  it('moves to the next path at once when one is refused', async () => {
    const network = fakeNetwork({
      [TLS]: { failsAfterMs: 3, code: 'ECONNREFUSED' },
      [STARTTLS]: { failsAfterMs: 3, code: 'ECONNREFUSED' },
      [WSS]: { featuresAfterMs: 20 },
    });
    const { result, events } = await race(network);
    expect(result.elapsedMs).toBe(26);
    expect(timeline(events).filter((line) => line.includes('started'))).toEqual([
      `0 started ${TLS}`,
      `3 started ${STARTTLS}`,
      `6 started ${WSS}`,
    ]);
    expect(result.attempts[0]?.cause).toEqual({ kind: 'refused', text: 'connection to chat.lab.test:5223 was refused' });
  });

  it('reaches 443 within one attempt delay per black-holed port, not after a timeout', async () => {
    const network = fakeNetwork({ [WSS]: { featuresAfterMs: 20 } });
    const { result } = await race(network);
    expect(result.connected).toBe(true);
    expect(result.elapsedMs).toBe(520);
    expect(network.aborted).toEqual([TLS, STARTTLS]);
  });

  it('closes a path that reaches its features after another has won, so only one session is authenticated', async () => {
    const network = fakeNetwork({ [TLS]: { featuresAfterMs: 260 }, [STARTTLS]: { featuresAfterMs: 5 } });
    const { result } = await race(network);
    expect(result.connected && result.connection.url).toBe(STARTTLS);
    expect(network.aborted).toEqual([TLS]);
    expect(network.paths.filter((path) => path.closed)).toEqual([]);
    expect(network.paths.map((path) => path.url)).toEqual([STARTTLS]);
  });

  it('does not let a path win that turned out unencrypted, unless that is allowed', async () => {
    const insecure = { [TLS]: { featuresAfterMs: 5, secure: false }, [STARTTLS]: { featuresAfterMs: 5 } };
    const refused = fakeNetwork(insecure);
    const { result } = await race(refused);
    expect(result.connected && result.connection.url).toBe(STARTTLS);
    expect(refused.paths[0]?.closed).toBe(true);
    expect(result.attempts[0]?.cause?.text).toBe(
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
    expect(result.diagnosis.summary).toBe('could not connect to chat.lab.test: 4 paths tried in 20000 ms');
    expect(result.attempts.filter((record) => !record.excluded).map((record) => [record.outcome, record.cause?.text])).toEqual([
      ['failed', 'no answer from chat.lab.test:5223 within 20000 ms'],
      ['failed', 'no answer from chat.lab.test:5222 within 19750 ms'],
      ['failed', 'no answer from chat.lab.test:443 within 19500 ms'],
      ['failed', 'no answer from chat.lab.test:443 within 19250 ms'],
    ]);
  });

  it('finishes as soon as every path has failed, without waiting for the deadline', async () => {
    const refusedEverywhere = Object.fromEntries(
      [TLS, STARTTLS, WSS, BOSH_HTTPS, WS, BOSH_HTTP].map((url) => [url, { failsAfterMs: 2, code: 'ECONNREFUSED' }]),
    );
    const { result } = await race(fakeNetwork(refusedEverywhere));
    expect(result.connected).toBe(false);
    expect(result.elapsedMs).toBe(10);
    expect(!result.connected && result.diagnosis.hints).toEqual([]);
  });

  it('probes the excluded plaintext paths to say that only unencrypted HTTP was reachable', async () => {
    const network = fakeNetwork({
      [TLS]: { failsAfterMs: 2, code: 'ECONNREFUSED' },
      [STARTTLS]: { failsAfterMs: 2, code: 'ECONNREFUSED' },
      [WSS]: { failsAfterMs: 2, code: 'ECONNREFUSED' },
      [BOSH_HTTPS]: { failsAfterMs: 2, code: 'ECONNREFUSED' },
      [WS]: { failsAfterMs: 2, code: 'ECONNRESET' },
      [BOSH_HTTP]: { featuresAfterMs: 10 },
    });
    const { result } = await race(network);
    expect(result.connected).toBe(false);
    if (result.connected) return;
    expect(result.diagnosis.hints).toEqual([
      'only unencrypted HTTP was reachable (BOSH http://chat.lab.test:80/http-bind via direct); enable "Allow unencrypted HTTP tunnelling" to use it',
    ]);
    expect(network.paths.find((path) => path.url === BOSH_HTTP)?.closed).toBe(true);
  });

  it('never falls back to a plaintext path after a certificate failure', async () => {
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
    expect(network.started).toEqual([TLS, STARTTLS, WSS, BOSH_HTTPS]);
    expect(result.attempts.map((record) => record.outcome)).toEqual(['failed', 'failed', 'failed', 'failed', 'skipped', 'skipped']);
    expect(!result.connected && result.diagnosis.hints).toEqual([
      "the server's certificate failed verification; Burrow does not fall back to a weaker path",
    ]);
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
    expect(!result.connected && result.diagnosis.hints).toEqual([
      "the server's certificate failed verification; Burrow does not fall back to a weaker path",
    ]);
  });

  it('tries the remembered winner first', async () => {
    const network = fakeNetwork({ [BOSH_HTTPS]: { featuresAfterMs: 15 } });
    const rememberedWinner = plan().candidates[3];
    const warm = planCandidates({
      address: parseCommunityAddress('chat.lab.test'),
      method: 'automatic',
      allowUnencrypted: false,
      rememberedWinner,
    });
    const pending = raceCandidates(warm, network.attempt, { allowUnencrypted: false });
    await vi.runAllTimersAsync();
    expect((await pending).elapsedMs).toBe(15);
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
      expect(result.elapsedMs).toBe(10_020);
      expect(timeline(events)).toEqual([
        `0 started ${TLS}`,
        `5000 failed ${TLS}`,
        `5000 started ${STARTTLS}`,
        `10000 failed ${STARTTLS}`,
        `10000 started ${WSS}`,
        `10020 won ${WSS}`,
      ]);
      expect(result.attempts[0]?.cause?.text).toBe('no answer from chat.lab.test:5223 within 5000 ms; tried the next path');
    });

    it('still moves on at once after a refusal', async () => {
      const network = fakeNetwork({ [TLS]: { failsAfterMs: 2, code: 'ECONNREFUSED' }, [STARTTLS]: { featuresAfterMs: 3 } });
      const { result } = await race(network, { strategy: { kind: 'sequential', attemptTimeoutMs: 5000 } });
      expect(result.elapsedMs).toBe(5);
    });
  });
});
