/**
 * Burrow in the network lab, for a describe block: the lab in a scenario, browser mode's host and
 * Chromium both inside the lab's client namespace, as a user behind that network would run them.
 * One instance of Burrow or several (people chatting with each other), each with its own host
 * process, data folder and browser context.
 * Browser mode only: Electron cannot be started inside the lab here.
 */
import type { Browser, Page } from '@playwright/test';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { launchChromiumInLab } from '../lab/chromium-in-lab.js';
import { labUnavailableReason } from '../lab/install.js';
import { startLab, type Lab, type ScenarioId, type ServerKind } from '../lab/lab.js';
import { test } from './fixtures.js';
import { launchBrowserMode, type BurrowApp } from './launch.js';

export interface BurrowInLabOptions {
  /** How many instances of Burrow to start (default 1). */
  apps?: number;
  /** An administrator policy for every instance, made once the lab is up (it may name the lab's CA file). */
  policy?: (lab: Lab) => unknown;
  /** Which XMPP server the lab runs (default Prosody). */
  server?: ServerKind;
}

export interface BurrowInLab {
  lab(): Lab;
  /** One instance of Burrow: the first unless told. */
  app(index?: number): BurrowApp;
}

/** Call inside test.describe: registers the skips and the hooks that start and stop everything. */
export function burrowInLab(scenario: ScenarioId, { apps: count = 1, policy, server }: BurrowInLabOptions = {}): BurrowInLab {
  test.skip(({ burrowMode }) => burrowMode === 'electron', 'Electron cannot be started inside the lab here; the browser project covers these specs.');
  const unavailable = labUnavailableReason();
  test.skip(!!unavailable && !process.env.CI, `the network lab cannot run here: ${unavailable}`);

  let lab: Lab | undefined;
  let browser: Browser | undefined;
  const apps: BurrowApp[] = [];
  let workDir: string | undefined;

  test.beforeAll(async () => {
    if (unavailable) throw new Error(`the lab is required in CI but cannot run: ${unavailable}`);
    const started = await startLab({ scenario, ...(server ? { server } : {}) });
    lab = started;
    workDir = await mkdtemp(path.join(os.tmpdir(), 'burrow-lab-chromium-'));
    browser = await launchChromiumInLab(workDir);
    let policyFile: string | undefined;
    if (policy) {
      policyFile = path.join(workDir, 'policy.json');
      await writeFile(policyFile, JSON.stringify(policy(started)));
    }
    for (let index = 0; index < count; index++) {
      apps.push(await launchBrowserMode(browser, { policyFile, spawnHost: (command, args, options) => started.spawnInClient(command, args, options) }));
    }
  });

  test.afterAll(async () => {
    // Every instance is closed even when one fails to; the first failure is reported after the lab is down.
    const closed = await Promise.allSettled(apps.splice(0).map((app) => app.close()));
    await browser?.close();
    await lab?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
    const failure = closed.find((outcome) => outcome.status === 'rejected');
    if (failure) throw failure.reason;
  });

  return {
    lab: () => lab ?? fail('the lab did not start'),
    app: (index = 0) => apps[index] ?? fail(index < count ? 'Burrow did not start in the lab' : `only ${count} instance(s) of Burrow were asked for`),
  };
}

function fail(reason: string): never {
  throw new Error(reason);
}

/**
 * Preferences as a user behind the lab's network fills them and applies them: the lab's CA trusted
 * in the global connection settings (with whatever else `global` sets there), then a community for
 * the lab's server, signed in as its first account.
 */
export async function addLabCommunity(preferences: Page, lab: Lab, { global }: { global?: (preferences: Page) => Promise<void> } = {}): Promise<void> {
  const [account] = lab.accounts;
  if (!account) throw new Error('the lab has no account');
  await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
  await preferences.getByLabel('Additional trusted CA (PEM)').fill(await readFile(lab.caFile, 'utf8'));
  await global?.(preferences);
  await preferences.getByRole('tab', { name: 'Server Communities' }).click();
  await preferences.getByRole('button', { name: 'Add community' }).click();
  await preferences.getByLabel('Display name').fill('Lab chat');
  await preferences.getByLabel('Host server').fill(lab.domain);
  await preferences.getByLabel('User name').fill(account.username);
  await preferences.getByLabel('Password', { exact: true }).fill(account.password);
}
