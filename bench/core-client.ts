/** The test side of core-driver.ts: starts a driven core in the lab's client namespace and speaks the contract to it. */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import type { EventChannel, EventOf, MessageView, Outcome, RequestChannel, RequestOf, ResponseOf } from '../electron/contract/contract.js';
import { withTimeout } from '../electron/common/with-timeout.js';
import { MAX_HISTORY_PAGE, unwrapOutcome } from '../electron/contract/contract.js';
import type { Lab } from '../lab/lab.js';
import { repoRoot } from '../lab/paths.js';
import type { DriverConfig, DriverOutput } from './core-driver.js';
import { cpuUsageChannel } from './driver-requests.js';

/** Compiled, whether this module runs from bench/ (vitest) or dist/bench/ (node). */
const driverScript = join(repoRoot, 'dist', 'bench', 'core-driver.js');

type Listener = (event: string, payload: unknown) => void;
/** Told to every listener when the core exits, so that no wait outlives it. */
const exitEvent = 'driver:exited';

export class DrivenCore {
  private nextId = 0;
  private readonly pending = new Map<number, (outcome: Outcome<unknown>) => void>();
  private readonly listeners = new Set<Listener>();
  /** The last payload of each event channel, kept from the first line on, so that no state is missed while a caller is still starting. */
  private readonly latest = new Map<string, unknown>();
  private readonly exited: Promise<void>;
  readonly stderr: string[] = [];
  /** Why the core is gone, once it is. */
  private death: Error | undefined;

  /** Resolves once the driver has its core up; fails if it exits first. */
  private readonly ready: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    // A core that dies answers nothing more: every request and wait still open fails at once, saying why.
    child.once('exit', (code, signal) => {
      this.death = new Error(`the driven core exited (${signal ?? `code ${code}`}): ${this.stderr.join('').slice(-4000)}`);
      const outcome: Outcome<unknown> = { ok: false, error: { code: 'failed', message: this.death.message } };
      for (const answer of this.pending.values()) answer(outcome);
      this.pending.clear();
      for (const listener of this.listeners) listener(exitEvent, undefined);
    });
    // Writing to a core that has just died fails the request (above), never the test process.
    child.stdin?.on('error', () => {});
    let onReady: () => void = () => {};
    this.ready = new Promise((resolve, reject) => {
      onReady = resolve;
      child.once('exit', () => reject(this.death));
    });
    child.stderr?.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const output = JSON.parse(line) as DriverOutput;
      if ('ready' in output) onReady();
      else if ('id' in output) {
        this.pending.get(output.id)?.(output.outcome as Outcome<unknown>);
        this.pending.delete(output.id);
      } else if ('event' in output) {
        this.latest.set(output.event, output.payload);
        for (const listener of this.listeners) listener(output.event, output.payload);
      }
    });
  }

  static async start(lab: Lab, config: DriverConfig): Promise<DrivenCore> {
    if (!existsSync(driverScript)) throw new Error(`${driverScript} is missing: run "npm run build:node" first`);
    const child = lab.spawnInClient(process.execPath, [driverScript, JSON.stringify(config)]);
    const core = new DrivenCore(child);
    await withTimeout(core.ready, 20_000, () => new Error(`the driven core did not start: ${core.stderr.join('')}`));
    return core;
  }

  async invoke<C extends RequestChannel>(channel: C, payload: RequestOf<C>): Promise<ResponseOf<C>> {
    return (await this.request(channel, payload)) as ResponseOf<C>;
  }

  /** A whole conversation, oldest first, page by page: what a tally of lost and duplicated messages reads. */
  async wholeHistory(communityId: string, peer: string): Promise<MessageView[]> {
    const history: MessageView[] = [];
    for (let before: string | undefined, page; !page || before; before = page.olderCursor ?? undefined) {
      page = await this.invoke('chat:history', { communityId, peer, limit: MAX_HISTORY_PAGE, ...(before ? { before } : {}) });
      history.unshift(...page.messages);
    }
    return history;
  }

  /** The CPU the core's process has used so far (user and system, in milliseconds). */
  async cpuMs(): Promise<number> {
    const { user, system } = (await this.request(cpuUsageChannel, undefined)) as NodeJS.CpuUsage;
    return (user + system) / 1000;
  }

  private async request(channel: string, payload: unknown): Promise<unknown> {
    if (this.death) throw this.death;
    const id = this.nextId++;
    const outcome = new Promise<Outcome<unknown>>((resolve) => this.pending.set(id, resolve));
    this.child.stdin!.write(`${JSON.stringify({ id, channel, payload })}\n`);
    return unwrapOutcome(channel, await outcome);
  }

  on<E extends EventChannel>(channel: E, listener: (payload: EventOf<E>) => void): () => void {
    const wrapped: Listener = (event, payload) => event === channel && listener(payload as EventOf<E>);
    this.listeners.add(wrapped);
    return () => this.listeners.delete(wrapped);
  }

  /** Resolves with the first event on `channel` that `test` accepts, or fails after `timeoutMs`. */
  waitFor<E extends EventChannel>(channel: E, test: (payload: EventOf<E>) => boolean, timeoutMs: number, what: string): Promise<EventOf<E>> {
    return new Promise((resolve, reject) => {
      if (this.death) return reject(new Error(`waiting for ${what}: ${this.death.message}`));
      const timer = setTimeout(() => {
        stop();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
      }, timeoutMs);
      const listener: Listener = (event, payload) => {
        if (event === exitEvent) {
          clearTimeout(timer);
          stop();
          reject(new Error(`waiting for ${what}: ${this.death?.message}`));
        } else if (event === channel && test(payload as EventOf<E>)) {
          clearTimeout(timer);
          stop();
          resolve(payload as EventOf<E>);
        }
      };
      this.listeners.add(listener);
      const stop = () => this.listeners.delete(listener);
    });
  }

  /** The channel's last event so far, however early it came. */
  latestOf<E extends EventChannel>(channel: E): EventOf<E> | undefined {
    return this.latest.get(channel) as EventOf<E> | undefined;
  }

  /**
   * Resolves once a state `test` accepts is reached: the channel's latest event if it passes
   * already (the core may have connected before the caller asked), else the first later one.
   */
  reaches<E extends EventChannel>(channel: E, test: (payload: EventOf<E>) => boolean, timeoutMs: number, what: string): Promise<EventOf<E>> {
    const now = this.latestOf(channel);
    if (now !== undefined && test(now)) return Promise.resolve(now);
    return this.waitFor(channel, test, timeoutMs, what);
  }

  /** Signs out and ends the process (closing stdin lets the driver close its core). */
  async stop(): Promise<void> {
    this.child.stdin?.end();
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(killer);
  }
}

/**
 * Each adds the other as a contact, as people who chat do: Burrow keeps a message from someone
 * outside the roster as a request, with only its first few.
 */
export async function addEachOther(communityId: string, people: readonly { core: DrivenCore; jid: string }[]): Promise<void> {
  await Promise.all(
    people.map(async ({ core, jid }) => {
      for (const other of people.filter((person) => person.jid !== jid)) {
        const added = core.reaches('roster:delta', ({ upserted }) => upserted.some((contact) => contact.jid === other.jid), 20_000, `${other.jid} in ${jid}'s contacts`);
        await core.invoke('roster:add', { communityId, jid: other.jid });
        await added;
      }
    }),
  );
}
