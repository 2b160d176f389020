/**
 * Staying online: the Desktop and presence settings in Preferences, away when idle in browser
 * mode (the page's own input and visibility), and in Electron the window closing to the tray.
 */
import type { Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { invokeOverSocket } from './contract-socket.js';
import { expect, test } from './fixtures.js';
import { projectRoot, type BurrowApp } from './launch.js';

const labels = {
  tray: 'Keep Burrow running in the tray when its window is closed',
  login: 'Start Burrow when I log in',
  away: 'Show me as away after this many idle minutes (0: never)',
};

async function openDesktopPane(app: BurrowApp): Promise<Page> {
  const preferences = await app.openPreferences();
  await preferences.getByRole('tab', { name: 'Desktop and presence' }).click();
  await expect(preferences.getByLabel(labels.tray)).toBeVisible();
  return preferences;
}

async function savedDesktop(app: BurrowApp): Promise<unknown> {
  const text = await readFile(path.join(app.dataDir, 'settings.json'), 'utf8').catch(() => '{}');
  return (JSON.parse(text) as { desktop?: unknown }).desktop;
}

test.describe('Preferences › Desktop and presence', () => {
  test('shows the defaults, refuses a wrong number of minutes, and saves what the user changed', async ({ burrowApp }, testInfo) => {
    const preferences = await openDesktopPane(burrowApp);
    await expect(preferences.getByLabel(labels.tray)).toBeChecked();
    await expect(preferences.getByLabel(labels.login)).not.toBeChecked();
    const away = preferences.getByLabel(labels.away);
    await expect(away).toHaveValue('10');

    await away.fill('-5');
    await preferences.getByRole('button', { name: 'Apply', exact: true }).click();
    await expect(away).toHaveAccessibleDescription(`${labels.away} must be a whole number of minutes from 0 (never) to 720`);

    await away.fill('5');
    await preferences.getByLabel(labels.tray).uncheck();
    await preferences.getByLabel(labels.login).check();
    await preferences.screenshot({ path: testInfo.outputPath('desktop-and-presence.png') });
    await preferences.getByRole('button', { name: 'OK', exact: true }).click();
    await expect.poll(() => savedDesktop(burrowApp)).toEqual({ closeToTray: false, startAtLogin: true, awayAfterMinutes: 5 });
  });
});

test.describe('Desktop settings the administrator locked', () => {
  test.use({ burrowPolicyFile: path.join(projectRoot, 'e2e/fixtures/locked-desktop-policy.json') });

  test('are shown disabled with "Set by your administrator"', async ({ burrowApp }) => {
    const preferences = await openDesktopPane(burrowApp);
    for (const label of [labels.login, labels.away]) {
      await expect(preferences.getByLabel(label)).toBeDisabled();
      await expect(preferences.getByLabel(label)).toHaveAccessibleDescription('Set by your administrator');
    }
    await expect(preferences.getByLabel(labels.login)).toBeChecked();
    await expect(preferences.getByLabel(labels.away)).toHaveValue('30');
    await expect(preferences.getByLabel(labels.tray)).toBeEnabled();
  });
});

test.describe('away when idle, in browser mode', () => {
  test.beforeEach(({ burrowMode }) => {
    test.skip(burrowMode === 'electron', "Electron asks the system how long the user has been idle (powerMonitor), which a test cannot fake; the page's own report is browser mode's.");
  });

  /** A community whose server cannot be reached: its account keeps trying, and its presence is the user's to set. */
  async function withAccount(app: BurrowApp): Promise<void> {
    const saved = await invokeOverSocket(app.window, 'settings:save', {
      settings: {
        version: 4,
        connection: {},
        communities: [{ id: 'lab', displayName: 'Lab', hostServer: 'localhost', port: 9, username: 'alice', useGlobalConnection: true, connection: {} }],
        trustedCertificates: {},
        desktop: {},
      },
      passwords: [{ key: 'community:lab:password', value: 'not-needed' }],
    });
    expect(saved).toMatchObject({ ok: true });
    await expect(app.window.getByLabel('Availability')).toBeEnabled();
  }

  test('shows the user as away after ten untouched minutes, and available again at the first key press or when the page is shown again', async ({ burrowApp }, testInfo) => {
    const { window } = burrowApp;
    await withAccount(burrowApp);
    // The page's clock, installed before its scripts run; core keeps real time.
    await window.clock.install();
    await window.reload();
    const availability = window.getByLabel('Availability');
    await expect(availability).toHaveValue('available');

    await window.clock.fastForward('09:00');
    await window.clock.runFor(15_000);
    await expect(availability).toHaveValue('available');
    await window.clock.fastForward('01:00');
    await expect(availability).toHaveValue('away');
    await window.screenshot({ path: testInfo.outputPath('away-when-idle.png') });

    await window.keyboard.press('Shift');
    await expect(availability).toHaveValue('available');

    // Away again, and back when the page comes back into view.
    await window.clock.fastForward('11:00');
    await expect(availability).toHaveValue('away');
    await window.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await expect(availability).toHaveValue('available');
  });
});

test.describe('closing the window, in Electron', () => {
  test.beforeEach(({ burrowMode }) => {
    test.skip(burrowMode !== 'electron', 'In browser mode the browser owns the window; closing the tab is not closing Burrow.');
    test.skip(process.platform === 'darwin', 'macOS keeps its own convention: closing the window never quits there.');
  });

  test('keeps Burrow running in the tray, says so once, and Quit still quits', async ({ burrowApp }) => {
    const electron = burrowApp.electron!;
    await electron.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
    await expect
      .poll(() => electron.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((window) => ({ visible: window.isVisible(), destroyed: window.isDestroyed() }))))
      .toEqual([{ visible: false, destroyed: false }]);
    await expect.poll(() => readFile(path.join(burrowApp.dataDir, 'hints-told.json'), 'utf8').catch(() => '')).toContain('closed-to-tray');

    const exited = new Promise((resolve) => electron.process().once('exit', resolve));
    await electron.evaluate(({ app }) => app.quit());
    await exited;
  });

  test('quits when the window is closed with the setting off', async ({ burrowApp }) => {
    const electron = burrowApp.electron!;
    const preferences = await openDesktopPane(burrowApp);
    await preferences.getByLabel(labels.tray).uncheck();
    await preferences.getByRole('button', { name: 'OK', exact: true }).click();
    await expect.poll(() => savedDesktop(burrowApp)).toEqual({ closeToTray: false });

    const exited = new Promise((resolve) => electron.process().once('exit', resolve));
    await electron.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
    await exited;
  });
});
