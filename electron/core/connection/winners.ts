/**
 * The path that won, remembered per community and network, so that it gets a head start next
 * time (DESIGN.md "The plan and the race", step 5), and forgotten when it fails.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';

import type { Candidate } from './candidate.js';

/** Where remembered winners live: electron-store in the app, memory in tests. */
export interface WinnerStore {
  get(key: string): Candidate | undefined;
  set(key: string, candidate: Candidate): void;
  delete(key: string): void;
}

export function memoryWinnerStore(): WinnerStore {
  const winners = new Map<string, Candidate>();
  return {
    get: (key) => winners.get(key),
    set: (key, candidate) => void winners.set(key, candidate),
    delete: (key) => void winners.delete(key),
  };
}

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
  constructor(private readonly store: WinnerStore) {}

  recall(community: string, network: string): Candidate | undefined {
    return this.store.get(this.#key(community, network));
  }

  remember(community: string, network: string, winner: Candidate): void {
    this.store.set(this.#key(community, network), winner);
  }

  forget(community: string, network: string): void {
    this.store.delete(this.#key(community, network));
  }

  #key(community: string, network: string): string {
    return `${community}@${network}`;
  }
}
