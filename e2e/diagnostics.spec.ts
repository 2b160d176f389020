/**
 * Diagnostics a help desk can act on, in the network lab: Test connection gives the verdict first,
 * then advice by class of failure, draws the attempts as a waterfall, and copies a report. Burrow's
 * host and the browser run inside the lab's client namespace, as a user behind that network would.
 */
import type { Locator, Page } from '@playwright/test';

import { expect, test } from './fixtures.js';
import { addLabCommunity, burrowInLab } from './in-lab.js';
import type { BurrowApp } from './launch.js';

/** The attempts of the last test, as the picture shows them and as the text log lists them. */
async function expectOneRowPerPath(preferences: Page, name: RegExp): Promise<void> {
  const picture = preferences.getByRole('img', { name });
  await expect(picture).toBeVisible();
  const listed = await preferences.getByRole('log', { name: 'Connection attempts' }).getByRole('listitem').count();
  expect(listed).toBeGreaterThan(0);
  await expect(picture.locator('g.waterfall-row')).toHaveCount(listed);
}

/** Copy report, as a help desk will receive it. */
async function copiedReport(app: BurrowApp, preferences: Page): Promise<string> {
  await preferences.getByRole('button', { name: 'Copy report' }).click();
  await expect(preferences.getByText(/^Report copied/)).toBeVisible();
  return app.readClipboard();
}

/** Applies the settings, runs Test connection and waits for its verdict. */
async function runTest(preferences: Page): Promise<Locator> {
  await preferences.getByRole('button', { name: 'Apply' }).click();
  await preferences.getByRole('button', { name: 'Test connection' }).click();
  const verdict = preferences.getByRole('status', { name: 'Verdict' });
  await expect(verdict).toBeVisible({ timeout: 30_000 });
  return verdict;
}

test.describe('S3: direct XMPP ports black-holed', () => {
  const inLab = burrowInLab('S3');

  test('connects over 443, says what stood in the way, and draws every path live', async () => {
    const lab = inLab.lab();
    const [alice] = lab.accounts;
    const preferences = await inLab.app().openPreferences();
    await addLabCommunity(preferences, lab);
    await preferences.getByRole('button', { name: 'Apply' }).click();
    await preferences.getByRole('button', { name: 'Test connection' }).click();

    // Live: the picture and the log fill in while the race runs.
    await expect(preferences.getByRole('img', { name: /^Connection attempts as a waterfall: / })).toBeVisible();
    await expect(preferences.getByRole('log', { name: 'Connection attempts' }).getByRole('listitem').first()).toBeVisible();

    const verdict = preferences.getByRole('status', { name: 'Verdict' });
    await expect(verdict).toContainText(/^Connected to chat\.lab\.test in [\d.]+ s over (WebSocket|BOSH) over HTTPS, no proxy\. /, { timeout: 30_000 });
    await expect(verdict).toContainText(/On the way, this network lets no connection through to chat\.lab\.test on ports? 522[23]/);
    await expect(verdict).toContainText(`Signed in as ${alice!.username}@${lab.domain}`);
    await expect(verdict.getByRole('list', { name: 'What to do' })).toContainText(
      /Your network administrator: Allow connections to chat\.lab\.test on ports? 522[23].*: Burrow would connect faster over XMPP's own ports\./,
    );
    await expectOneRowPerPath(preferences, /^Connection attempts as a waterfall: \d+ paths, (WebSocket|BOSH) over HTTPS, no proxy won at \d+ ms/);
    await expect(preferences.locator('g.waterfall-won')).toHaveCount(1);
    const log = preferences.getByRole('log', { name: 'Connection attempts' });
    await expect(log).toContainText('xmpps://chat.lab.test:5223');
    await expect(log).toContainText('no answer from chat.lab.test:5223');

    const report = await copiedReport(inLab.app(), preferences);
    expect(report).toMatch(/^Burrow connection test — Lab chat — \d{4}-\d\d-\d\dT/);
    expect(report).toMatch(/Connected to chat\.lab\.test in [\d.]+ s over/);
    expect(report).toContain('Method: Automatic (recommended); no proxy');
    expect(report).toMatch(/Burrow \d+\.\d+\.\d+ \(browser mode\) on Linux /);
    expect(report).toContain('xmpps://chat.lab.test:5223 via direct');
    expect(report).not.toContain(alice!.password);
    await verdict.scrollIntoViewIfNeeded();
    await preferences.screenshot({ path: test.info().outputPath('s3-verdict.png') });
    await preferences.getByRole('img', { name: /^Connection attempts as a waterfall: / }).scrollIntoViewIfNeeded();
    await preferences.screenshot({ path: test.info().outputPath('s3-waterfall.png') });
  });
});

test.describe('S6: a proxy with Basic authentication, and a wrong proxy password', () => {
  const inLab = burrowInLab('S6');

  test("says the proxy's login failed, points to the proxy user name, and reports no password", async () => {
    const lab = inLab.lab();
    const { httpAuth } = lab.proxies;
    const preferences = await inLab.app().openPreferences();
    await addLabCommunity(preferences, lab, {
      global: async (global) => {
        await global.getByRole('radio', { name: 'Use proxy' }).check();
        await global.getByLabel('Proxy host').fill(httpAuth.host);
        await global.getByLabel('Proxy port').fill(String(httpAuth.port));
        await global.getByLabel('Proxy user name').fill(httpAuth.username);
        await global.getByLabel('Proxy password').fill('not-the-password');
      },
    });
    const verdict = await runTest(preferences);
    await expect(verdict).toContainText(`Burrow cannot connect to chat.lab.test: proxy authentication failed at ${httpAuth.host}:${httpAuth.port} (407)`);
    const advice = verdict.getByRole('list', { name: 'What to do' });
    await expect(advice).toContainText('You: Check the proxy user name and password; the proxy locks accounts after a few failed logins');
    await expectOneRowPerPath(preferences, /^Connection attempts as a waterfall: \d+ paths, none connected, \d+ failed$/);

    const report = await copiedReport(inLab.app(), preferences);
    expect(report).toContain(`Method: Use proxy; HTTP proxy ${httpAuth.host}:${httpAuth.port}, with a login`);
    expect(report).toContain('(Preferences › Proxy user name)');
    expect(report).not.toContain('not-the-password');
    await preferences.screenshot({ path: test.info().outputPath('s6-wrong-proxy-password.png') });

    await advice.getByRole('button', { name: 'Go to Proxy user name' }).click();
    await expect(preferences.getByLabel('Proxy user name')).toBeFocused();
  });
});

test.describe('S11: everything blocked', () => {
  const inLab = burrowInLab('S11');

  test('gives a verdict within the deadline, advice to try a proxy, and the banner settles on it', async () => {
    const lab = inLab.lab();
    const app = inLab.app();
    const preferences = await app.openPreferences();
    await addLabCommunity(preferences, lab, { global: (global) => global.getByLabel('Overall deadline (ms)').fill('5000') });
    const verdict = await runTest(preferences);
    await expect(verdict).toContainText(/^Burrow cannot connect to chat\.lab\.test: this network lets no connection through to chat\.lab\.test on ports 443, 5222 and 5223 /);
    const advice = verdict.getByRole('list', { name: 'What to do' });
    await expect(advice).toContainText('You: If your network has a proxy, choose "Use my system proxy settings" or "Use proxy".');
    await expect(advice).toContainText('Your network administrator: Allow connections to chat.lab.test on ports 443, 5222 and 5223');
    await expectOneRowPerPath(preferences, /^Connection attempts as a waterfall: \d+ paths, none connected/);
    const report = await copiedReport(inLab.app(), preferences);
    expect(report).toContain('What to do:');
    expect(report).toMatch(/no answer from chat\.lab\.test:443/);
    await preferences.screenshot({ path: test.info().outputPath('s11-test-connection.png') });

    await advice.getByRole('button', { name: 'Go to Connection method' }).click();
    await expect(preferences.getByRole('radio', { name: 'Automatic (recommended)' })).toBeFocused();

    // The chat window's banner: the same verdict, and a wait that grows rather than a retry every second.
    const banner = app.window.getByRole('status', { name: 'Lab chat' });
    await expect(banner).toContainText('Burrow cannot connect to chat.lab.test: this network lets no connection through', { timeout: 30_000 });
    // A full-jitter wait may last a split second, shorter than an assertion's retry interval: look every frame.
    await app.window.waitForFunction(
      () => /Reconnecting in \d+ s/.test(document.querySelector('[role="status"][aria-label="Lab chat"]')?.textContent ?? ''),
      undefined,
      { polling: 'raf', timeout: 30_000 },
    );
    await app.window.screenshot({ path: test.info().outputPath('s11-banner.png') });
    await banner.getByRole('button', { name: 'Show the attempts as a picture' }).click();
    const dialog = app.window.getByRole('dialog', { name: 'Connection attempts · Lab chat' });
    await expect(dialog.getByRole('img', { name: /^Connection attempts as a waterfall: \d+ paths, / })).toBeVisible();
    await app.window.screenshot({ path: test.info().outputPath('s11-banner-attempts.png') });
  });
});

test.describe("S13: the server's certificate does not match its name", () => {
  const inLab = burrowInLab('S13');

  test("refuses it with its details, offers no trust for it, and asks the server's administrator", async () => {
    const lab = inLab.lab();
    const preferences = await inLab.app().openPreferences();
    await addLabCommunity(preferences, lab);
    const verdict = await runTest(preferences);
    await expect(verdict).toContainText(/^Burrow cannot connect to chat\.lab\.test: the certificate of chat\.lab\.test is for /);
    await expect(verdict).toContainText(lab.serverCertificate.fingerprint256);
    await expect(verdict.getByRole('list', { name: 'What to do' })).toContainText(
      'The server’s administrator: Give chat.lab.test a certificate for its name from a trusted authority, within its dates.',
    );
    await expect(verdict.getByRole('button', { name: /Trust this certificate/ })).toHaveCount(0);
    await expectOneRowPerPath(preferences, /^Connection attempts as a waterfall: \d+ paths, none connected/);
    const report = await copiedReport(inLab.app(), preferences);
    expect(report).toContain(lab.serverCertificate.fingerprint256);
    await preferences.screenshot({ path: test.info().outputPath('s13-certificate.png') });
  });
});
