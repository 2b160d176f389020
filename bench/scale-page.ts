/**
 * The scale bench's page measurements: Burrow in browser mode for alice, its host and Chromium in
 * the lab's client namespace (as e2e runs them), signed in through the contract with the requests
 * Preferences makes (the demo's signIn). Every time is taken in the page (page-probes.ts), and
 * every wait is bounded: a page too slow gives "not met: > N ms", never a hang.
 */
import type { Browser, JSHandle, Page } from '@playwright/test';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

import { IPC_PATH } from '../electron/contract/wire.js';
import { startBrowserModeHost } from '../lab/browser-mode-host.js';
import type { ContractClient } from '../lab/contract-client.js';
import { signIn } from '../lab/demo-accounts.js';
import type { Lab } from '../lab/lab.js';
import type { Account } from '../lab/server.js';
import { filledBody, type FillConversation } from './conversation-fill.js';
import { installProbe, rosterShownSinceSignIn, visibleSinceInput, type PageProbe } from './page-probes.js';
import { median } from './statistics.js';

/** A measured time, or why there is none ("not met: > 30000 ms" when the page took too long). */
export type Timed = { ms: number } | { reason: string };

interface BurrowPage {
  page: Page;
  probe: JSHandle<PageProbe>;
  hostPid: number;
  close(): Promise<void>;
}

const tenth = (ms: number) => Math.round(ms * 10) / 10;

/** Starts the host on `dataDir` and opens its page in a fresh context; nothing is configured yet. */
async function openBurrow(browser: Browser, lab: Lab, dataDir: string): Promise<BurrowPage> {
  const { child, entryUrl } = await startBrowserModeHost(dataDir, { spawnHost: (command, args, options) => lab.spawnInClient(command, args, options) });
  const context = await browser.newContext();
  const close = async () => {
    await context.close();
    await stopHost(child);
  };
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    await page.goto(entryUrl);
    const probe = await page.evaluateHandle(installProbe, IPC_PATH);
    return { page, probe, hostPid: child.pid!, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function stopHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(killer);
}

/** The contract as the page's probe speaks it, for the demo's signIn. */
function probeClient(probe: JSHandle<PageProbe>): ContractClient {
  const invoke = (channel: string, payload?: unknown) => probe.evaluate((inPage, [name, body]) => inPage.invoke(name, body), [channel, payload] as const);
  return { invoke: invoke as ContractClient['invoke'], close: () => {} };
}

async function signInOnPage(burrow: BurrowPage, lab: Lab, account: Account): Promise<void> {
  await signIn({ account, client: probeClient(burrow.probe) }, lab.domain, await readFile(lab.caFile, 'utf8'));
}

/** Polled every frame in the page, for at most `timeoutMs`. */
const everyFrame = (timeoutMs: number) => ({ polling: 'raf' as const, timeout: timeoutMs });

/** The time a page probe returned (waited for with `everyFrame(timeoutMs)`), or that it timed out. */
async function timed(waited: Promise<JSHandle<number | false>>, timeoutMs: number): Promise<Timed> {
  try {
    return { ms: tenth(Number(await (await waited).jsonValue())) };
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') return { reason: `not met: > ${timeoutMs} ms` };
    throw error;
  }
}

/** Resident and peak resident memory of a process, in MB, from /proc. */
async function memoryMb(pid: number): Promise<{ rssMb: number; peakRssMb: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: tenth(kb('VmRSS') / 1024), peakRssMb: tenth(kb('VmHWM') / 1024) };
}

export interface RosterMeasurement {
  rosterShown: Timed;
  hostRssMb: number;
  hostPeakRssMb: number;
}

/**
 * `account` signs in afresh (an empty data folder); times from the contract telling the account
 * connecting (signing in starts) to the list of contacts showing `firstName` and holding `count` contacts, then reads the
 * host's memory.
 */
export async function measureRosterShown(browser: Browser, lab: Lab, account: Account, firstName: string, count: number, timeoutMs: number): Promise<RosterMeasurement> {
  const dataDir = await mkdtemp(path.join('/tmp', 'burrow-scale-roster-'));
  const burrow = await openBurrow(browser, lab, dataDir);
  try {
    // Watched from before signing in, so that the frame that shows them is the one timed.
    const shown = timed(burrow.page.waitForFunction(rosterShownSinceSignIn, [burrow.probe, firstName, count] as const, everyFrame(timeoutMs)), timeoutMs);
    await signInOnPage(burrow, lab, account);
    const rosterShown = await shown;
    const { rssMb, peakRssMb } = await memoryMb(burrow.hostPid);
    return { rosterShown, hostRssMb: rssMb, hostPeakRssMb: peakRssMb };
  } finally {
    await burrow.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

export interface ConversationMeasurement {
  /** Median of the opens; the first opens a conversation Burrow has not read since it started. */
  open: Timed;
  openSamplesMs: number[];
  sendToVisible: Timed;
  sendSamplesMs: number[];
  fillMs: number;
}

export interface ConversationJob {
  account: Account;
  peer: { jid: string; name: string };
  /** Another contact to switch to between opens. */
  other: { name: string };
  messages: number;
  fill: FillConversation;
  repeats: number;
  openTimeoutMs: number;
  sendTimeoutMs: number;
}

const allMeasured = (samples: Timed[]) => !samples.some((sample) => 'reason' in sample);

/** The median of the samples, or the reason of the first that timed out. */
function medianOf(samples: Timed[]): Timed {
  const failed = samples.find((sample) => 'reason' in sample);
  if (failed) return failed;
  return { ms: median(samples.map((sample) => ('ms' in sample ? sample.ms : 0)))! };
}

/**
 * `job.fill` fills the account's data folder with `job.messages` messages with the peer (on
 * tmpfs: today's history writes each to disk on its own), Burrow starts on it and signs in; then
 * clicking the peer in the roster is timed to the newest message on screen, and Enter in the
 * composer to the sent message on screen, `job.repeats` times each. A timed-out step ends its
 * series: the page is then too busy for the next to mean anything; after a timed-out open, the
 * sends are still timed once the conversation is on screen, if it is within 4 times the timeout.
 */
export async function measureConversation(browser: Browser, lab: Lab, job: ConversationJob): Promise<ConversationMeasurement> {
  const dataDir = await mkdtemp(path.join('/dev/shm', 'burrow-scale-conversation-'));
  try {
    const fillStartedAt = performance.now();
    await job.fill(dataDir, job.account.jid, job.peer.jid, job.messages);
    const fillMs = Math.round(performance.now() - fillStartedAt);
    console.error(`  filled ${job.messages} messages in ${fillMs} ms`);
    const burrow = await openBurrow(browser, lab, dataDir);
    try {
      await signInOnPage(burrow, lab, job.account);
      const { page, probe } = burrow;
      const contacts = page.getByRole('list', { name: 'Contacts' });
      const peerButton = contacts.getByRole('button', { name: job.peer.name });
      const otherButton = contacts.getByRole('button', { name: job.other.name });
      const newest = filledBody(job.messages - 1);
      const settleMs = 4 * job.openTimeoutMs;

      const opens: Timed[] = [];
      for (let run = 0; run < job.repeats && allMeasured(opens); run += 1) {
        if (run > 0) {
          await otherButton.click();
          await page.getByRole('log', { name: `Messages with ${job.other.name}` }).waitFor();
        }
        const visible = timed(page.waitForFunction(visibleSinceInput, [probe, newest] as const, everyFrame(job.openTimeoutMs)), job.openTimeoutMs);
        await peerButton.click();
        opens.push(await visible);
      }

      // An open that timed out may still finish: the sends are timed once it has, if it does in time.
      const opened = allMeasured(opens) || (await timed(page.waitForFunction(visibleSinceInput, [probe, newest] as const, everyFrame(settleMs)), settleMs).then((settled) => 'ms' in settled));
      const sends: Timed[] = [];
      if (opened) {
        const composer = page.getByRole('textbox', { name: 'Message' });
        for (let run = 0; run < job.repeats && allMeasured(sends); run += 1) {
          const body = `Scale send ${run} ${Date.now()}`;
          await composer.fill(body);
          const visible = timed(page.waitForFunction(visibleSinceInput, [probe, body] as const, everyFrame(job.sendTimeoutMs)), job.sendTimeoutMs);
          await composer.press('Enter');
          sends.push(await visible);
        }
      }
      const samplesOf = (samples: Timed[]) => samples.flatMap((sample) => ('ms' in sample ? [sample.ms] : []));
      return {
        open: medianOf(opens),
        openSamplesMs: samplesOf(opens),
        sendToVisible: opened ? medianOf(sends) : { reason: `not measured: the conversation had not opened ${settleMs} ms after the click` },
        sendSamplesMs: samplesOf(sends),
        fillMs,
      };
    } finally {
      await burrow.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
