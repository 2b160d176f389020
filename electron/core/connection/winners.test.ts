import { describe, expect, it } from 'vitest';

import { parseCommunityAddress } from './address.js';
import { planCandidates } from './plan.js';
import { candidateKey, describeCandidate } from './candidate.js';
import type { PathTiming } from './path-timings.js';
import type { AttemptRecord } from './race.js';
import { currentNetworkFacts, memoryStore, memoryWinnerStore, networkFingerprint, WinnerMemory } from './winners.js';

const office = { addresses: ['198.18.1.2/24', 'fd00::2/64'], defaultGateway: '198.18.1.1', proxyConfiguration: 'none' };

describe('networkFingerprint', () => {
  it('is the same for the same network, whatever the order of the interfaces', () => {
    expect(networkFingerprint(office)).toBe(networkFingerprint({ ...office, addresses: [...office.addresses].reverse() }));
  });

  it.each([
    ['another address', { ...office, addresses: ['10.0.0.7/24'] }],
    ['another gateway', { ...office, defaultGateway: '198.18.1.254' }],
    ['another proxy configuration', { ...office, proxyConfiguration: 'http://proxy.lab.test:3128' }],
  ])('changes with %s', (_change, network) => {
    expect(networkFingerprint(network)).not.toBe(networkFingerprint(office));
  });
});

describe('currentNetworkFacts', () => {
  it('lists the machine\'s non-loopback addresses with their prefixes', async () => {
    const facts = await currentNetworkFacts('none');
    expect(facts.proxyConfiguration).toBe('none');
    expect(facts.addresses.every((address) => /\/\d+$/.test(address) && !address.startsWith('127.'))).toBe(true);
  });
});

describe('WinnerMemory', () => {
  const [winner] = planCandidates({ address: parseCommunityAddress('chat.lab.test'), method: 'automatic', allowUnencrypted: false }).candidates;

  it('recalls the winner per community and network, and forgets it', () => {
    const memory = new WinnerMemory(memoryWinnerStore());
    if (!winner) throw new Error('no candidate');
    memory.remember('work', 'office', winner);
    expect(memory.recall('work', 'office')).toEqual(winner);
    expect(memory.recall('work', 'home')).toBeUndefined();
    expect(memory.recall('club', 'office')).toBeUndefined();
    memory.forget('work', 'office');
    expect(memory.recall('work', 'office')).toBeUndefined();
  });

  it('keeps per community and network what the races measured, and builds on it', () => {
    const memory = new WinnerMemory(memoryWinnerStore());
    if (!winner) throw new Error('no candidate');
    const won: AttemptRecord = {
      attempt: 0,
      candidate: winner,
      path: describeCandidate(winner),
      excluded: false,
      outcome: 'won',
      startedAtMs: 0,
      reachedAtMs: 40,
      negotiatingAtMs: 60,
      featuresAtMs: 160,
    };
    memory.learnTimings('work', 'office', [won]);
    expect(memory.recallTimings('work', 'office').get(candidateKey(winner))).toEqual({ kind: 'measured', ms: 140 });
    expect(memory.recallTimings('work', 'home').size).toBe(0);
    memory.learnTimings('work', 'office', [{ ...won, outcome: 'failed', featuresAtMs: undefined }]);
    expect(memory.recallTimings('work', 'office').size).toBe(0);
  });

  it('reads back only well-formed timings from a damaged file', () => {
    const timings = memoryStore<Record<string, PathTiming>>();
    timings.set('work@office', { good: { kind: 'measured', ms: 90 }, odd: { kind: 'fastest', ms: 1 }, negative: { kind: 'measured', ms: -5 } } as never);
    const memory = new WinnerMemory(memoryWinnerStore(), memoryStore(), timings);
    expect([...memory.recallTimings('work', 'office')]).toEqual([['good', { kind: 'measured', ms: 90 }]]);
  });
});
