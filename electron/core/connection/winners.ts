/**
 * The path that won, remembered per community and network, so that it gets a head start next
 * time (DESIGN.md "The plan and the race", step 5), and forgotten when it fails; how long each
 * path took there (`path-timings.ts`), so that the race judges them by time; and the endpoints
 * a server published (DNS SRV, host-meta), remembered per server, so that a race that starts
 * before discovery answers (or while discovery cannot get through) tries the server's real paths
 * instead of guessed defaults.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';

import type { Candidate } from './candidate.js';
import { learnTimings } from './path-timings.js';
import type { PathTiming, PathTimings } from './path-timings.js';
import type { AttemptRecord } from './race.js';
import type { DiscoveredEndpoints } from './plan.js';

/** Where remembered paths live: a file in the data folder in the app, memory in tests. */
export interface MemoryStore<T> {
  get(key: string): T | undefined;
  set(key: string, value: T): void;
  delete(key: string): void;
}

export type WinnerStore = MemoryStore<Candidate>;

export function memoryStore<T>(): MemoryStore<T> {
  const values = new Map<string, T>();
  return {
    get: (key) => values.get(key),
    set: (key, value) => void values.set(key, value),
    delete: (key) => void values.delete(key),
  };
}

export const memoryWinnerStore = (): WinnerStore => memoryStore<Candidate>();

export interface NetworkFacts {
  /** Addresses with prefix length of the non-loopback interfaces, e.g. "198.18.1.2/24". */
  addresses: string[];
  defaultGateway?: string;
  /** The proxy configuration in effect, in any stable textual form. */
  proxyConfiguration: string;
}

/** A stable name for "this network": the same interfaces, gateway and proxy give the same name. */
export function networkFingerprint(facts: NetworkFacts): string {
  const text = [...facts.addresses].sort().join(',') + `|${facts.defaultGateway ?? ''}|${facts.proxyConfiguration}`;
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** The facts of the machine's current network (Linux reads the default gateway from /proc). */
export async function currentNetworkFacts(proxyConfiguration: string): Promise<NetworkFacts> {
  const addresses = Object.values(networkInterfaces())
    .flat()
    .flatMap((info) => (info && !info.internal && info.cidr ? [info.cidr] : []));
  const defaultGateway = await readLinuxDefaultGateway();
  return { addresses, proxyConfiguration, ...(defaultGateway ? { defaultGateway } : {}) };
}

async function readLinuxDefaultGateway(): Promise<string | undefined> {
  const table = await readFile('/proc/net/route', 'utf8').catch(() => '');
  const defaultRoute = table
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .find((fields) => fields[1] === '00000000');
  const hex = defaultRoute?.[2];
  if (!hex || hex.length !== 8) return undefined;
  // /proc/net/route writes the address as a little-endian hex number.
  return [6, 4, 2, 0].map((offset) => parseInt(hex.slice(offset, offset + 2), 16)).join('.');
}

export class WinnerMemory {
  constructor(
    private readonly store: WinnerStore,
    private readonly endpoints: MemoryStore<DiscoveredEndpoints> = memoryStore(),
    private readonly timings: MemoryStore<Record<string, PathTiming>> = memoryStore(),
  ) {}

  recall(community: string, network: string): Candidate | undefined {
    return this.store.get(this.#key(community, network));
  }

  remember(community: string, network: string, winner: Candidate): void {
    this.store.set(this.#key(community, network), winner);
  }

  forget(community: string, network: string): void {
    this.store.delete(this.#key(community, network));
  }

  /** How long the paths took on this network, as far as earlier races showed. */
  recallTimings(community: string, network: string): PathTimings {
    const stored: unknown = this.timings.get(this.#key(community, network));
    // Read from a file: whatever is not a timing is left out.
    const entries = stored && typeof stored === 'object' ? Object.entries(stored) : [];
    return new Map(entries.filter((entry): entry is [string, PathTiming] => isPathTiming(entry[1])));
  }

  /** Adds what a race showed to what is known of the paths on this network. */
  learnTimings(community: string, network: string, attempts: readonly AttemptRecord[]): void {
    const learnt = learnTimings(this.recallTimings(community, network), attempts);
    this.timings.set(this.#key(community, network), Object.fromEntries(learnt));
  }

  /** What the server at `domain` published when discovery last got an answer. */
  recallEndpoints(domain: string): DiscoveredEndpoints | undefined {
    return this.endpoints.get(domain.toLowerCase());
  }

  /** Kept only when discovery found something: an answer that could not get through says nothing new. */
  rememberEndpoints(domain: string, discovered: DiscoveredEndpoints & { problems: string[] }): void {
    const { srv = [], hostMeta = [], problems } = discovered;
    if (problems.length > 0 && srv.length === 0 && hostMeta.length === 0) return;
    this.endpoints.set(domain.toLowerCase(), { srv, hostMeta });
  }

  #key(community: string, network: string): string {
    return `${community}@${network}`;
  }
}

function isPathTiming(value: unknown): value is PathTiming {
  if (!value || typeof value !== 'object') return false;
  const { kind, ms } = value as Record<string, unknown>;
  return (kind === 'measured' || kind === 'slower-than') && typeof ms === 'number' && Number.isFinite(ms) && ms >= 0;
}
