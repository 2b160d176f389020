/**
 * Preferences, driven the way QA drives it: by role and label, and checked against the
 * settings file on disk.
 */
import type { Locator, Page } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from './fixtures.js';
import { invokeOverSocket } from './contract-socket.js';
import { projectRoot, type BurrowApp } from './launch.js';

interface StoredSettings {
  connection: Record<string, unknown>;
  communities: { id: string; displayName: string; useGlobalConnection: boolean; connection: Record<string, unknown> }[];
}

const settingsFileOf = (app: BurrowApp) => path.join(app.dataDir, 'settings.json');

async function readSettingsText(app: BurrowApp): Promise<string> {
  return readFile(settingsFileOf(app), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
}

/** The settings file as saved; polls, since saving is asynchronous. */
async function savedSettings(app: BurrowApp, until: (settings: StoredSettings) => boolean): Promise<StoredSettings> {
  let settings: StoredSettings | undefined;
  await expect
    .poll(async () => {
      const text = await readSettingsText(app);
      settings = text === '' ? undefined : (JSON.parse(text) as StoredSettings);
      return settings !== undefined && until(settings);
    })
    .toBe(true);
  return settings!;
}

async function openPreferences(app: BurrowApp): Promise<Page> {
  const preferences = await app.openPreferences();
  // Loaded once the sections are there.
  await expect(preferences.getByRole('tab', { name: 'Server Communities' })).toBeVisible();
  return preferences;
}

function buttons(preferences: Page) {
  return {
    ok: preferences.getByRole('button', { name: 'OK', exact: true }),
    cancel: preferences.getByRole('button', { name: 'Cancel', exact: true }),
    apply: preferences.getByRole('button', { name: 'Apply', exact: true }),
  };
}

async function applyAndWait(preferences: Page): Promise<void> {
  const { apply } = buttons(preferences);
  await apply.click();
  await expect(apply).toBeDisabled();
}

async function closedBy(preferences: Page, action: () => Promise<void>): Promise<void> {
  await Promise.all([
    preferences.waitForEvent('close', { timeout: 10_000 }),
    // The window may close before Playwright sees its click finish; the close is what counts.
    action().catch(() => undefined),
  ]);
}

/** Adds a community with a display name and host server, on its Server tab. */
async function addCommunity(preferences: Page, displayName: string, hostServer: string): Promise<void> {
  await preferences.getByRole('button', { name: 'Add community' }).click();
  await preferences.getByLabel('Display name').fill(displayName);
  await preferences.getByLabel('Host server').fill(hostServer);
}

async function tabUntilFocused(page: Page, target: Locator, maxPresses = 40): Promise<void> {
  for (let presses = 0; presses < maxPresses; presses++) {
    if (await target.evaluate((element) => element === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab did not reach ${target.toString()} within ${maxPresses} presses`);
}

const methods = [
  'Automatic (recommended)',
  'Direct connection using TCP/IP',
  'Direct connection using HTTP protocol',
  'Use my system proxy settings',
  'Use proxy',
] as const;

test.describe('Preferences', () => {
  test('opens through File › Preferences with both sections and OK, Cancel, Apply', async ({ burrowApp }, testInfo) => {
    const preferences = await openPreferences(burrowApp);
    await expect(preferences.getByRole('tablist', { name: 'Preferences sections' })).toBeVisible();
    await expect(preferences.getByRole('tab', { name: 'Server Communities' })).toHaveAttribute('aria-selected', 'true');
    await expect(preferences.getByRole('button', { name: 'Add community' })).toBeVisible();

    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    for (const method of methods) await expect(preferences.getByRole('radio', { name: method })).toBeVisible();
    await expect(preferences.getByRole('radio', { name: 'Automatic (recommended)' })).toBeChecked();
    for (const label of ['Proxy type', 'Proxy host', 'Proxy port', 'Proxy user name', 'Proxy password', 'Attempt delay (ms)', 'Overall deadline (ms)', 'Additional trusted CA (PEM)']) {
      await expect(preferences.getByLabel(label, { exact: true })).toBeVisible();
    }
    await expect(preferences.getByLabel('Resolve host names through the proxy')).toBeVisible();
    await expect(preferences.getByLabel('Allow unencrypted HTTP tunnelling')).not.toBeChecked();

    const { ok, cancel, apply } = buttons(preferences);
    await expect(ok).toBeEnabled();
    await expect(cancel).toBeEnabled();
    await expect(apply).toBeDisabled();
    await preferences.screenshot({ path: testInfo.outputPath('global-connection-settings.png') });
    await preferences.emulateMedia({ colorScheme: 'dark' });
    await preferences.screenshot({ path: testInfo.outputPath('global-connection-settings-dark.png') });
  });

  test('the global method "Direct connection using HTTP protocol" survives Apply, close and reopen, and is in the settings file', async ({ burrowApp }, testInfo) => {
    let preferences = await openPreferences(burrowApp);
    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    await preferences.getByRole('radio', { name: 'Direct connection using HTTP protocol' }).check();
    await expect(buttons(preferences).apply).toBeEnabled();
    await applyAndWait(preferences);
    await closedBy(preferences, () => buttons(preferences).cancel.click());

    preferences = await openPreferences(burrowApp);
    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    await expect(preferences.getByRole('radio', { name: 'Direct connection using HTTP protocol' })).toBeChecked();
    const settings = await savedSettings(burrowApp, (stored) => stored.connection.method !== undefined);
    // Only what the user chose is stored: the rest stays inherited.
    expect(settings.connection).toEqual({ method: 'direct-http' });
    await preferences.screenshot({ path: testInfo.outputPath('direct-http-after-reopen.png') });
  });

  test('controls that do not apply are disabled until their method is chosen', async ({ burrowApp }, testInfo) => {
    const preferences = await openPreferences(burrowApp);
    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    const proxyControls = [
      preferences.getByLabel('Proxy type'),
      preferences.getByLabel('Proxy host'),
      preferences.getByLabel('Proxy port'),
      preferences.getByLabel('Proxy user name'),
      preferences.getByLabel('Proxy password'),
      preferences.getByLabel('Resolve host names through the proxy'),
    ];
    for (const control of proxyControls) await expect(control).toBeDisabled();
    const pacUrl = preferences.getByLabel('PAC URL');
    await expect(pacUrl).toBeDisabled();

    await preferences.getByRole('radio', { name: 'Use my system proxy settings' }).check();
    await expect(pacUrl).toBeEnabled();
    for (const control of proxyControls) await expect(control).toBeDisabled();

    await preferences.getByRole('radio', { name: 'Use proxy' }).check();
    for (const control of proxyControls) await expect(control).toBeEnabled();
    await expect(pacUrl).toBeDisabled();
    await preferences.screenshot({ path: testInfo.outputPath('use-proxy-enabled.png') });
  });

  test('a community\'s own connection: Use proxy with SOCKS5 is saved for that community only', async ({ burrowApp }, testInfo) => {
    const preferences = await openPreferences(burrowApp);
    await addCommunity(preferences, 'Corp chat', 'chat.example.com');
    await addCommunity(preferences, 'Home chat', 'home.example.net');
    await preferences.getByRole('option', { name: 'Corp chat' }).click();

    await preferences.getByRole('tab', { name: 'Connection', exact: true }).click();
    const useGlobal = preferences.getByLabel('Use global connection settings');
    await expect(useGlobal).toBeChecked();
    await expect(preferences.getByRole('radio', { name: 'Use proxy' })).toBeDisabled();
    await useGlobal.uncheck();

    await preferences.getByRole('radio', { name: 'Use proxy' }).check();
    await expect(preferences.getByLabel('Proxy host')).toBeEnabled();
    await preferences.getByLabel('Proxy type').selectOption({ label: 'SOCKS5' });
    await preferences.getByLabel('Proxy host').fill('socks.example.com');
    await preferences.getByLabel('Proxy port').fill('1080');
    await preferences.screenshot({ path: testInfo.outputPath('community-socks5.png') });
    await applyAndWait(preferences);

    const settings = await savedSettings(burrowApp, (stored) => stored.communities.length === 2);
    const [corp, home] = settings.communities;
    expect(corp).toMatchObject({
      displayName: 'Corp chat',
      useGlobalConnection: false,
      connection: { method: 'proxy', proxy: { type: 'socks5', host: 'socks.example.com', port: 1080 } },
    });
    expect(home).toMatchObject({ displayName: 'Home chat', useGlobalConnection: true, connection: {} });
    expect(settings.connection).toEqual({});

    // The other community and the global settings still show the global method.
    await preferences.getByRole('option', { name: 'Home chat' }).click();
    await preferences.getByRole('tab', { name: 'Connection', exact: true }).click();
    await expect(preferences.getByRole('radio', { name: 'Automatic (recommended)' })).toBeChecked();
    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    await expect(preferences.getByRole('radio', { name: 'Automatic (recommended)' })).toBeChecked();
  });

  test('a bad port and a bad host are flagged next to their fields and nothing is saved', async ({ burrowApp }, testInfo) => {
    const preferences = await openPreferences(burrowApp);
    await addCommunity(preferences, 'Corp chat', 'chat example.com');
    const port = preferences.getByLabel('Server community port');
    await port.fill('70000');

    const host = preferences.getByLabel('Host server');
    await expect(host).toHaveAttribute('aria-invalid', 'true');
    await expect(host).toHaveAccessibleDescription(/Host server must be a host name/);
    await expect(port).toHaveAttribute('aria-invalid', 'true');
    await expect(port).toHaveAccessibleDescription('Server community port must be a whole number from 1 to 65535');

    await buttons(preferences).apply.click();
    await expect(preferences.getByRole('alert')).toHaveText('Not saved: 2 settings need correcting first.');
    await expect(host).toBeFocused();
    await preferences.screenshot({ path: testInfo.outputPath('validation-errors.png') });
    expect(await readSettingsText(burrowApp)).not.toContain('Corp chat');

    await host.fill('chat.example.com');
    await port.fill('5222');
    await expect(host).not.toHaveAttribute('aria-invalid');
    await expect(port).not.toHaveAttribute('aria-invalid');
    await applyAndWait(preferences);
    await expect(preferences.getByRole('alert')).toHaveText('');
    const settings = await savedSettings(burrowApp, (stored) => stored.communities.length === 1);
    expect(settings.communities[0]).toMatchObject({ hostServer: 'chat.example.com', port: 5222 });
  });

  test('"Use proxy" needs a proxy host, and Apply takes the user to it', async ({ burrowApp }, testInfo) => {
    const preferences = await openPreferences(burrowApp);
    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    await preferences.getByRole('radio', { name: 'Use proxy' }).check();
    // Not an error while the user has not got to it yet…
    await expect(preferences.getByLabel('Proxy host')).not.toHaveAttribute('aria-invalid');

    // …but Apply, from another section, shows it and goes there.
    await preferences.getByRole('tab', { name: 'Server Communities' }).click();
    await buttons(preferences).apply.click();
    const proxyHost = preferences.getByLabel('Proxy host');
    await expect(proxyHost).toBeFocused();
    await expect(proxyHost).toHaveAccessibleDescription('Proxy host is required for "Use proxy"');
    await preferences.screenshot({ path: testInfo.outputPath('proxy-host-required.png') });
  });

  test('a proxy typed as a URL in the host field gets a hint, and one click puts its parts in their fields, the password only in the keychain', async ({ burrowApp }, testInfo) => {
    const preferences = await openPreferences(burrowApp);
    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    await preferences.getByRole('radio', { name: 'Use proxy' }).check();
    const proxyHost = preferences.getByLabel('Proxy host');
    await proxyHost.fill('http://alice:proxy-s3cret@proxy.example.com:3128');
    await expect(proxyHost).toHaveAccessibleDescription(
      'Proxy host must be the host name alone, e.g. proxy.example.com: the port goes in Proxy port, the type in Proxy type',
    );
    const fix = preferences.getByRole('button', { name: 'Use type HTTP, host proxy.example.com, port 3128, user name alice and the password from the address' });
    await preferences.screenshot({ path: testInfo.outputPath('proxy-url-hint.png') });

    await fix.click();
    await expect(proxyHost).toHaveValue('proxy.example.com');
    await expect(proxyHost).not.toHaveAttribute('aria-invalid');
    await expect(preferences.getByLabel('Proxy port')).toHaveValue('3128');
    await expect(preferences.getByLabel('Proxy user name')).toHaveValue('alice');
    await expect(preferences.getByLabel('Proxy password')).toHaveAttribute('type', 'password');
    await applyAndWait(preferences);
    const settings = await savedSettings(burrowApp, (stored) => stored.connection.proxy !== undefined);
    expect(settings.connection.proxy).toMatchObject({ host: 'proxy.example.com', port: 3128, username: 'alice' });
    expect(await readSettingsText(burrowApp)).not.toContain('proxy-s3cret');
    await expect(preferences.getByLabel('Proxy password')).toHaveAttribute('placeholder', '(saved)');
  });

  test('Cancel discards the changes and closes', async ({ burrowApp }, testInfo) => {
    let preferences = await openPreferences(burrowApp);
    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    await preferences.getByRole('radio', { name: 'Direct connection using TCP/IP' }).check();
    await preferences.getByLabel('Attempt delay (ms)').fill('500');
    await preferences.screenshot({ path: testInfo.outputPath('before-cancel.png') });
    await closedBy(preferences, () => buttons(preferences).cancel.click());

    expect(await readSettingsText(burrowApp)).not.toContain('direct-tcp');
    preferences = await openPreferences(burrowApp);
    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    await expect(preferences.getByRole('radio', { name: 'Automatic (recommended)' })).toBeChecked();
    await expect(preferences.getByLabel('Attempt delay (ms)')).toHaveValue('250');
  });

  test('Escape cancels like Cancel: the changes are discarded and the window closes', async ({ burrowApp }, testInfo) => {
    let preferences = await openPreferences(burrowApp);
    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    await preferences.getByRole('radio', { name: 'Use proxy' }).check();
    await preferences.getByLabel('Proxy host').fill('proxy.example.com');
    await preferences.screenshot({ path: testInfo.outputPath('before-escape.png') });
    await closedBy(preferences, () => preferences.keyboard.press('Escape'));

    expect(await readSettingsText(burrowApp)).not.toContain('proxy.example.com');
    preferences = await openPreferences(burrowApp);
    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    await expect(preferences.getByRole('radio', { name: 'Automatic (recommended)' })).toBeChecked();
    await expect(preferences.getByLabel('Proxy host')).toHaveValue('');
  });

  test('changing a field and changing it back leaves nothing to apply', async ({ burrowApp }, testInfo) => {
    const preferences = await openPreferences(burrowApp);
    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    const { apply } = buttons(preferences);
    await preferences.getByRole('radio', { name: 'Use proxy' }).check();
    await expect(apply).toBeEnabled();
    await preferences.getByRole('radio', { name: 'Automatic (recommended)' }).check();
    await expect(apply).toBeDisabled();
    await preferences.screenshot({ path: testInfo.outputPath('nothing-to-apply.png') });
  });

  test('OK saves and closes', async ({ burrowApp }, testInfo) => {
    const preferences = await openPreferences(burrowApp);
    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    await preferences.getByLabel('Overall deadline (ms)').fill('30000');
    await preferences.screenshot({ path: testInfo.outputPath('before-ok.png') });
    await closedBy(preferences, () => buttons(preferences).ok.click());
    const settings = await savedSettings(burrowApp, (stored) => stored.connection.deadlineMs !== undefined);
    expect(settings.connection).toEqual({ deadlineMs: 30000 });
  });

  test('passwords never reach the settings file and show as "(saved)"', async ({ burrowApp }, testInfo) => {
    const accountPassword = 'correct horse battery staple';
    const proxyPassword = 'proxy-s3cret';
    const preferences = await openPreferences(burrowApp);
    await addCommunity(preferences, 'Corp chat', 'chat.example.com');
    await preferences.getByLabel('User name').fill('alice');
    await preferences.getByLabel('Password', { exact: true }).fill(accountPassword);

    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    await preferences.getByRole('radio', { name: 'Use proxy' }).check();
    await preferences.getByLabel('Proxy host').fill('proxy.example.com');
    await preferences.getByLabel('Proxy password').fill(proxyPassword);
    await applyAndWait(preferences);

    await savedSettings(burrowApp, (stored) => stored.communities.length === 1);
    const text = await readSettingsText(burrowApp);
    expect(text).toContain('alice');
    expect(text).not.toContain(accountPassword);
    expect(text).not.toContain(proxyPassword);

    await expect(preferences.getByLabel('Proxy password')).toHaveValue('');
    await expect(preferences.getByLabel('Proxy password')).toHaveAttribute('placeholder', '(saved)');
    await preferences.getByRole('tab', { name: 'Server Communities' }).click();
    await expect(preferences.getByLabel('Password', { exact: true })).toHaveValue('');
    await expect(preferences.getByLabel('Password', { exact: true })).toHaveAttribute('placeholder', '(saved)');
    await preferences.screenshot({ path: testInfo.outputPath('saved-password.png') });
  });

  test('adds and removes a community', async ({ burrowApp }, testInfo) => {
    const preferences = await openPreferences(burrowApp);
    await expect(preferences.getByText('No server communities yet')).toBeVisible();
    await addCommunity(preferences, 'Corp chat', 'chat.example.com');
    await preferences.getByLabel('XMPP domain').fill('example.com');
    await expect(preferences.getByRole('option', { name: 'Corp chat' })).toHaveAttribute('aria-selected', 'true');
    await expect(preferences.getByRole('heading', { name: 'Corp chat' })).toBeVisible();
    await preferences.screenshot({ path: testInfo.outputPath('community-added.png') });
    await applyAndWait(preferences);
    const added = await savedSettings(burrowApp, (stored) => stored.communities.length === 1);
    expect(added.communities[0]).toMatchObject({ displayName: 'Corp chat', hostServer: 'chat.example.com', xmppDomain: 'example.com' });

    await preferences.getByRole('button', { name: 'Remove' }).click();
    await expect(preferences.getByRole('option')).toHaveCount(0);
    await applyAndWait(preferences);
    await savedSettings(burrowApp, (stored) => stored.communities.length === 0);
  });

  test('the whole pane works from the keyboard alone', async ({ burrowApp }, testInfo) => {
    const preferences = await openPreferences(burrowApp);
    const { keyboard } = preferences;
    const sections = preferences.getByRole('tab', { name: 'Server Communities' });
    await tabUntilFocused(preferences, sections);

    // Sections: arrow keys move between them; Tab enters the selected one.
    await keyboard.press('ArrowDown');
    await expect(preferences.getByRole('tab', { name: 'Global connection settings' })).toBeFocused();
    await expect(preferences.getByRole('tab', { name: 'Global connection settings' })).toHaveAttribute('aria-selected', 'true');
    await keyboard.press('Tab');
    await expect(preferences.getByRole('radio', { name: 'Automatic (recommended)' })).toBeFocused();
    await keyboard.press('ArrowDown');
    await keyboard.press('ArrowDown');
    await expect(preferences.getByRole('radio', { name: 'Direct connection using HTTP protocol' })).toBeChecked();
    // The disabled proxy fields and PAC URL are skipped.
    await keyboard.press('Tab');
    await expect(preferences.getByLabel('Allow unencrypted HTTP tunnelling')).toBeFocused();

    // Back to the sections, then a new community, typed in.
    await keyboard.press('Shift+Tab');
    await keyboard.press('Shift+Tab');
    await expect(preferences.getByRole('tab', { name: 'Global connection settings' })).toBeFocused();
    await keyboard.press('ArrowUp');
    await keyboard.press('Tab');
    await expect(preferences.getByRole('button', { name: 'Add community' })).toBeFocused();
    await keyboard.press('Enter');
    await expect(preferences.getByLabel('Display name')).toBeFocused();
    await keyboard.type('Keyboard chat');
    await keyboard.press('Tab');
    await expect(preferences.getByLabel('Host server')).toBeFocused();
    await keyboard.type('chat.example.com');

    // The community's tabs: arrow over to Connection, then its own proxy.
    await keyboard.press('Shift+Tab');
    await keyboard.press('Shift+Tab');
    await expect(preferences.getByRole('tab', { name: 'Server', exact: true })).toBeFocused();
    await keyboard.press('ArrowRight');
    await expect(preferences.getByRole('tab', { name: 'Connection', exact: true })).toBeFocused();
    await keyboard.press('Tab');
    await expect(preferences.getByLabel('Use global connection settings')).toBeFocused();
    await keyboard.press('Space');
    await keyboard.press('Tab');
    // It starts from the global method chosen above, not yet applied.
    await expect(preferences.getByRole('radio', { name: 'Direct connection using HTTP protocol' })).toBeFocused();
    await keyboard.press('ArrowDown');
    await keyboard.press('ArrowDown');
    await expect(preferences.getByRole('radio', { name: 'Use proxy' })).toBeChecked();
    await keyboard.press('Tab');
    await expect(preferences.getByLabel('Proxy type')).toBeFocused();
    await keyboard.press('Tab');
    await keyboard.type('proxy.example.com');
    await preferences.screenshot({ path: testInfo.outputPath('keyboard.png') });

    const { ok } = buttons(preferences);
    await tabUntilFocused(preferences, ok);
    await closedBy(preferences, () => keyboard.press('Enter'));
    const settings = await savedSettings(burrowApp, (stored) => stored.communities.length === 1);
    expect(settings.connection).toEqual({ method: 'direct-http' });
    expect(settings.communities[0]).toMatchObject({
      displayName: 'Keyboard chat',
      hostServer: 'chat.example.com',
      useGlobalConnection: false,
      connection: { method: 'proxy', proxy: { host: 'proxy.example.com' } },
    });
  });

  test('another window\'s save shows up without reopening', async ({ burrowApp, burrowMode }, testInfo) => {
    test.skip(burrowMode === 'electron', 'Electron keeps a single Preferences window.');
    const first = await openPreferences(burrowApp);
    const second = await first.context().newPage();
    await second.goto(first.url());
    await expect(second.getByRole('tab', { name: 'Server Communities' })).toBeVisible();

    await second.getByRole('tab', { name: 'Global connection settings' }).click();
    await second.getByRole('radio', { name: 'Use my system proxy settings' }).check();
    await applyAndWait(second);

    await first.getByRole('tab', { name: 'Global connection settings' }).click();
    await expect(first.getByRole('radio', { name: 'Use my system proxy settings' })).toBeChecked();
    await first.screenshot({ path: testInfo.outputPath('refreshed.png') });
  });
});

test.describe('Preferences under an administrator policy', () => {
  test.use({ burrowPolicyFile: path.join(projectRoot, 'e2e/fixtures/locked-policy.json') });

  test('a locked setting is disabled and says "Set by your administrator"; defaults are editable', async ({ burrowApp }, testInfo) => {
    const preferences = await openPreferences(burrowApp);
    await expect(preferences.getByRole('option', { name: 'Corp chat' })).toHaveAccessibleDescription(/from your administrator/);
    await expect(preferences.getByText('Provided by your administrator')).toBeVisible();
    await expect(preferences.getByRole('button', { name: 'Remove' })).toBeDisabled();

    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    const allowUnencrypted = preferences.getByLabel('Allow unencrypted HTTP tunnelling');
    await expect(allowUnencrypted).toBeDisabled();
    await expect(allowUnencrypted).toHaveAccessibleDescription('Set by your administrator');
    const deadline = preferences.getByLabel('Overall deadline (ms)');
    await expect(deadline).toBeDisabled();
    await expect(deadline).toHaveValue('15000');
    await expect(deadline).toHaveAccessibleDescription('Set by your administrator');

    const attemptDelay = preferences.getByLabel('Attempt delay (ms)');
    await expect(attemptDelay).toBeEnabled();
    await expect(attemptDelay).toHaveValue('300');
    await allowUnencrypted.scrollIntoViewIfNeeded();
    await preferences.screenshot({ path: testInfo.outputPath('locked.png') });
  });

  test('a write to a locked setting through the contract is refused as forbidden', async ({ burrowApp }, testInfo) => {
    const preferences = await openPreferences(burrowApp);
    const outcome = await invokeOverSocket(preferences, 'settings:save', {
      settings: { version: 4, connection: { allowUnencrypted: true }, communities: [] },
      passwords: [],
    });
    expect(outcome).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('Set by your administrator') } });
    expect(await readSettingsText(burrowApp)).not.toContain('"allowUnencrypted": true');

    await preferences.getByRole('tab', { name: 'Global connection settings' }).click();
    await expect(preferences.getByLabel('Allow unencrypted HTTP tunnelling')).not.toBeChecked();
    await preferences.screenshot({ path: testInfo.outputPath('write-refused.png') });
  });

  test('editing the administrator\'s community keeps it as the user\'s own', async ({ burrowApp }, testInfo) => {
    const preferences = await openPreferences(burrowApp);
    await preferences.getByLabel('User name').fill('alice');
    await applyAndWait(preferences);
    const settings = await savedSettings(burrowApp, (stored) => stored.communities.length === 1);
    expect(settings.communities[0]).toMatchObject({ id: 'corp', displayName: 'Corp chat', username: 'alice' });
    await expect(preferences.getByLabel('User name')).toHaveValue('alice');
    await preferences.screenshot({ path: testInfo.outputPath('admin-community-edited.png') });
  });
});
