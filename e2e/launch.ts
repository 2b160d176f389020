/**
 * How the e2e suites start Burrow: browser mode (the host in plain Node, the UI in Chromium)
 * or the Electron app. Specs only see a BurrowApp, so the same specs run in both.
 */
import { _electron as electron, type Browser, type BrowserContext, type ElectronApplication, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { startBrowserModeHost, type BrowserModeHostOptions } from '../lab/browser-mode-host.js';

export const projectRoot = path.resolve(import.meta.dirname, '..');

export interface BurrowApp {
  /** The chat window. */
  readonly window: Page;
  readonly dataDir: string;
  /** Electron only: the app's main process, for what only it can tell (its windows, the tray). */
  readonly electron?: ElectronApplication;
  /** Chooses File › Preferences and returns the Preferences window. */
  openPreferences(): Promise<Page>;
  /** What the app last put on the clipboard (Copy report), read as the user's next paste would. */
  readClipboard(): Promise<string>;
  close(): Promise<void>;
}

/** The Electron binary's path, or why there is none (its package downloads it on first run). */
export function findElectronBinary(): { path: string } | { reason: string } {
  try {
    const binary = createRequire(import.meta.url)('electron') as string;
    if (existsSync(binary)) return { path: binary };
    return { reason: `the Electron binary is missing at ${binary}` };
  } catch (error) {
    return {
      reason: `the Electron binary is not installed (${(error as Error).message}); it needs a download from the internet: run \`node node_modules/electron/install.js\` where that is possible`,
    };
  }
}

async function newDataDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'burrow-e2e-'));
}

/**
 * What a page of this instance failed to load, threw or logged as an error goes to the test's
 * output: a page half-loaded (say, without its stylesheet) otherwise fails far from its cause.
 */
function reportPageTrouble(context: BrowserContext, url: string): void {
  const report = (what: string) => console.error(`[burrow ${url}] ${what}`);
  context.on('requestfailed', (request) => report(`${request.method()} ${request.url()} failed: ${request.failure()?.errorText ?? 'unknown error'}`));
  context.on('response', (response) => {
    if (response.status() >= 400) report(`${response.request().method()} ${response.url()} answered ${response.status()}`);
  });
  context.on('weberror', (error) => report(`uncaught: ${error.error().stack ?? error.error().message}`));
  context.on('console', (message) => {
    if (message.type() === 'error') report(`console: ${message.text()}`);
  });
}

export async function launchBrowserMode(browser: Browser, options: BrowserModeHostOptions = {}): Promise<BurrowApp> {
  const dataDir = await newDataDir();
  const { child, entryUrl } = await startBrowserModeHost(dataDir, options);
  const context = await browser.newContext();
  reportPageTrouble(context, new URL(entryUrl).origin);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(entryUrl).origin });
  const window = await context.newPage();
  await window.goto(entryUrl);
  return {
    window,
    dataDir,
    readClipboard: () => window.evaluate(() => navigator.clipboard.readText()),
    openPreferences: async () => {
      const popup = window.waitForEvent('popup');
      await window.getByRole('menuitem', { name: 'File' }).click();
      await window.getByRole('menuitem', { name: 'Preferences…' }).click();
      const preferences = await popup;
      await preferences.waitForLoadState();
      return preferences;
    },
    close: async () => {
      await context.close();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** `chromiumSwitches`: e.g. `--proxy-pac-url=…`, which Chromium then takes for the system's proxy settings. */
export async function launchElectron(executablePath: string, chromiumSwitches: readonly string[] = []): Promise<BurrowApp> {
  const dataDir = await newDataDir();
  const app: ElectronApplication = await electron.launch({
    executablePath,
    args: [...chromiumSwitches, projectRoot],
    env: { ...process.env, BURROW_DATA_DIR: dataDir },
  });
  const window = await app.firstWindow();
  return {
    window,
    dataDir,
    electron: app,
    // Burrow's pages may write the clipboard, not read it: the main process reads it.
    readClipboard: () => app.evaluate(({ clipboard }) => clipboard.readText()),
    openPreferences: async () => {
      const opened = app.waitForEvent('window');
      // Native menus are out of Playwright's reach; click the very menu item a user would.
      await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('preferences')?.click());
      const preferences = await opened;
      await preferences.waitForLoadState();
      return preferences;
    },
    close: async () => {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
