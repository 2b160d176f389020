/**
 * Preferences › Test connection against the network lab (LAB.md S3: 5222 and 5223 black-holed):
 * Burrow's host and the browser both run inside the lab's client namespace, as a user behind
 * that firewall would.
 */
import { chromium, type Browser } from '@playwright/test';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startLab, type Lab } from '../lab/lab.js';
import { labUnavailableReason } from '../lab/install.js';
import { namespaces } from '../lab/topology.js';
import { expect, test } from './fixtures.js';
import { launchBrowserMode, type BurrowApp } from './launch.js';

const systemChromium = '/usr/bin/chromium';
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

test.describe('Test connection in the network lab', () => {
  test.skip(({ burrowMode }) => burrowMode === 'electron', 'Electron cannot be started inside the lab here; the browser project covers the pane.');
  const unavailable = labUnavailableReason();
  test.skip(!!unavailable && !process.env.CI, `the network lab cannot run here: ${unavailable}`);

  let lab: Lab;
  let browser: Browser;
  let app: BurrowApp;
  let workDir: string;

  test.beforeAll(async () => {
    if (unavailable) throw new Error(`the lab is required in CI but cannot run: ${unavailable}`);
    lab = await startLab({ scenario: 'S3' });
    workDir = await mkdtemp(path.join(os.tmpdir(), 'burrow-lab-chromium-'));
    // Playwright drives the browser over a pipe, so the browser can live in the lab's namespace.
    const chromiumInLab = path.join(workDir, 'chromium-in-lab');
    await writeFile(chromiumInLab, `#!/bin/sh\nexec ip netns exec ${namespaces.corp} ${systemChromium} "$@"\n`);
    await chmod(chromiumInLab, 0o755);
    browser = await chromium.launch({ executablePath: chromiumInLab, args: chromiumArgs });
    app = await launchBrowserMode(browser, { spawnHost: (command, args, options) => lab.spawnInClient(command, args, options) });
  });

  test.afterAll(async () => {
    await app?.close();
    await browser?.close();
    await lab?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  test('shows every attempt live, then the winning path and the signed-in account', async () => {
    const [alice] = lab.accounts;
    const preferences = await app.openPreferences();
    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    await preferences.getByLabel('Additional trusted CA (PEM)').fill(await readFile(lab.caFile, 'utf8'));
    await preferences.getByRole('tab', { name: 'Server Communities' }).click();
    await preferences.getByRole('button', { name: 'Add community' }).click();
    await preferences.getByLabel('Display name').fill('Lab chat');
    await preferences.getByLabel('Host server').fill(lab.domain);
    await preferences.getByLabel('User name').fill(alice!.username);
    await preferences.getByLabel('Password', { exact: true }).fill(alice!.password);
    const testButton = preferences.getByRole('button', { name: 'Test connection' });
    await expect(testButton).toBeDisabled();
    await preferences.getByRole('button', { name: 'Apply' }).click();
    await expect(testButton).toBeEnabled();

    await testButton.click();
    const attempts = preferences.getByRole('log', { name: 'Connection attempts' });
    await expect(attempts.getByRole('listitem').first()).toBeVisible();
    const result = preferences.getByRole('status').filter({ hasText: 'Connected in' });
    await expect(result).toContainText(`signed in as ${alice!.username}@${lab.domain}`, { timeout: 30_000 });
    await expect(result).toContainText(':443');
    await expect(attempts).toContainText('xmpps://chat.lab.test:5223');
    await expect(attempts).toContainText('no answer from chat.lab.test:5223');
    await expect(attempts.getByRole('listitem').filter({ hasText: 'connected' })).toHaveCount(1);
    await attempts.scrollIntoViewIfNeeded();
    await preferences.screenshot({ path: test.info().outputPath('test-connection.png') });
  });
});
