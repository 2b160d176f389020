/**
 * One lab account's whole Burrow core, driven in the lab's client namespace (core-client.ts), with
 * when each of its own messages turned delivered and each inbound body arrived: what the
 * messaging and scale benches time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

import type { Community } from '../electron/common/settings/schema.js';
import { withTimeout } from '../electron/common/with-timeout.js';
import { accountStatusLine } from '../electron/contract/account-words.js';
import type { AccountView, MessageView } from '../electron/contract/contract.js';
import type { Lab } from '../lab/lab.js';
import { addEachOther, DrivenCore } from './core-client.js';

export const communityId = 'bench';

/** The community's address as the user types it (DESIGN.md's address rules). */
export type CommunityAddress = Pick<Community, 'hostServer'> & Partial<Pick<Community, 'port'>>;

/** One account's core, and when each of its own messages turned delivered and each inbound body arrived. */
export class BenchAccount {
  private readonly deliveredAt = new Map<string, number>();
  private readonly deliveryWaiters = new Map<string, (at: number) => void>();
  /** Distinct inbound bodies: the archive may hand the same message over again. */
  private readonly bodies = new Set<string>();
  private receivedWaiter: { prefix: string; count: number; resolve: (at: number) => void } | undefined;

  constructor(
    readonly core: DrivenCore,
    readonly jid: string,
  ) {
    core.on('chat:message', (message) => this.onMessage(message));
  }

  private onMessage(message: MessageView): void {
    const now = performance.now();
    if (message.direction === 'out' && message.state === 'delivered' && !this.deliveredAt.has(message.id)) {
      this.deliveredAt.set(message.id, now);
      this.deliveryWaiters.get(message.id)?.(now);
      this.deliveryWaiters.delete(message.id);
    }
    if (message.direction === 'in' && !this.bodies.has(message.body)) {
      this.bodies.add(message.body);
      const waiter = this.receivedWaiter;
      if (waiter && this.countStartingWith(waiter.prefix) >= waiter.count) waiter.resolve(now);
    }
  }

  /** When the message turned delivered (at once if it already has), or a failure after `timeoutMs`. */
  delivered(id: string, timeoutMs: number): Promise<number> {
    const at = this.deliveredAt.get(id);
    if (at !== undefined) return Promise.resolve(at);
    const receipt = new Promise<number>((resolve) => this.deliveryWaiters.set(id, resolve));
    return withTimeout(receipt, timeoutMs, () => new Error(`no receipt for ${id} within ${timeoutMs} ms`));
  }

  private countStartingWith(prefix: string): number {
    let count = 0;
    for (const body of this.bodies) if (body.startsWith(prefix)) count++;
    return count;
  }

  /** When this account holds `count` distinct messages whose bodies start with `prefix`. */
  received(prefix: string, count: number, timeoutMs: number): Promise<number> {
    if (this.countStartingWith(prefix) >= count) return Promise.resolve(performance.now());
    const all = new Promise<number>((resolve) => (this.receivedWaiter = { prefix, count, resolve }));
    return withTimeout(all, timeoutMs, () => new Error(`${this.jid} had ${this.countStartingWith(prefix)} of the ${count} messages "${prefix}…" after ${timeoutMs} ms`));
  }

  send(peer: BenchAccount, body: string): Promise<MessageView> {
    return this.core.invoke('chat:send', { communityId, peer: peer.jid, body });
  }
}

async function startAccount(lab: Lab, folder: string, username: string, address: CommunityAddress): Promise<BenchAccount> {
  const account = lab.accounts.find((candidate) => candidate.username === username);
  if (!account) throw new Error(`the lab has no account ${username}`);
  const core = await DrivenCore.start(lab, {
    dataDir: path.join(folder, username),
    community: { id: communityId, displayName: 'Bench', username, ...address },
    password: account.password,
    caFile: lab.caFile,
  });
  return new BenchAccount(core, `${username}@${lab.domain}`);
}

export interface ChattingPair {
  alice: BenchAccount;
  bob: BenchAccount;
  /** alice's account as it went online. */
  online: AccountView;
}

/**
 * Runs `use` with alice's and bob's cores (fresh data folders) online over `address` and each
 * other's contacts, then stops both and removes their folders, however `use` ends.
 */
export async function withChattingPair<T>(lab: Lab, address: CommunityAddress, what: string, use: (pair: ChattingPair) => Promise<T>): Promise<T> {
  const folder = await mkdtemp(path.join(tmpdir(), 'burrow-bench-pair-'));
  const accounts: BenchAccount[] = [];
  try {
    const started = await Promise.allSettled(['alice', 'bob'].map((username) => startAccount(lab, folder, username, address)));
    for (const outcome of started) if (outcome.status === 'fulfilled') accounts.push(outcome.value);
    const notStarted = started.find((outcome) => outcome.status === 'rejected');
    if (notStarted) throw notStarted.reason;
    const [alice, bob] = accounts as [BenchAccount, BenchAccount];
    const states = await Promise.all(
      accounts.map((account) => account.core.reaches('account:changed', ({ lifecycle }) => lifecycle.state === 'online' || lifecycle.state === 'failed', 30_000, `${account.jid} to connect`)),
    );
    const failed = states.find((state) => state.lifecycle.state !== 'online');
    if (failed) throw new Error(`${failed.jid} did not connect over ${what}: ${accountStatusLine(failed)}`);
    await addEachOther(communityId, accounts);
    return await use({ alice, bob, online: states[0]! });
  } finally {
    await Promise.all(accounts.map((account) => account.core.stop()));
    await rm(folder, { recursive: true, force: true });
  }
}
