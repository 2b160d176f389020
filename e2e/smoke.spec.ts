import { expect, test } from './fixtures.js';

test('the chat window loads and File › Preferences opens the Preferences window', async ({ burrowApp }, testInfo) => {
  const { window } = burrowApp;
  // No community yet: the first-run flow asks for one.
  await expect(window.getByRole('heading', { name: 'Welcome to Burrow' })).toBeVisible();
  const firstRun = window.getByRole('form', { name: 'Add your server community' });
  await expect(firstRun.getByLabel('Host server')).toBeVisible();
  await expect(firstRun.getByLabel('User name')).toBeVisible();
  await expect(firstRun.getByLabel('Password')).toBeVisible();
  await window.screenshot({ path: testInfo.outputPath('first-run.png') });

  const preferences = await burrowApp.openPreferences();
  await expect(preferences.getByRole('heading', { name: 'Preferences' })).toBeVisible();
  await expect(preferences).toHaveTitle('Preferences');
  await preferences.screenshot({ path: testInfo.outputPath('preferences.png') });
});

test('Help › About tells which Burrow is running', async ({ burrowApp, burrowMode }, testInfo) => {
  test.skip(burrowMode === 'electron', 'Electron shows About as a native dialog, out of Playwright\'s reach.');
  const { window } = burrowApp;
  await window.getByRole('menuitem', { name: 'Help' }).click();
  await window.getByRole('menuitem', { name: 'About Burrow' }).click();
  const about = window.getByRole('dialog', { name: 'About Burrow' });
  await expect(about).toBeVisible();
  await expect(about).toContainText('browser mode');
  await window.screenshot({ path: testInfo.outputPath('about.png') });
  await about.getByRole('button', { name: 'Close' }).click();
  await expect(about).toBeHidden();
});

test('Help › Getting started tells a newcomer how to begin; Escape and Close close it', async ({ burrowApp, burrowMode }, testInfo) => {
  test.skip(burrowMode === 'electron', 'The native menu bar is drawn by the operating system.');
  const { window } = burrowApp;
  const gettingStarted = window.getByRole('dialog', { name: 'Getting started' });
  const open = async () => {
    await window.getByRole('menuitem', { name: 'Help' }).click();
    await window.getByRole('menuitem', { name: 'Getting started' }).click();
    await expect(gettingStarted).toBeVisible();
  };
  await open();
  await expect(gettingStarted).toContainText('File › Preferences › Server Communities');
  await expect(gettingStarted).toContainText('Test connection');
  await expect(gettingStarted).toContainText('npm run demo');
  await window.screenshot({ path: testInfo.outputPath('getting-started.png') });
  await window.keyboard.press('Escape');
  await expect(gettingStarted).toBeHidden();
  await open();
  await gettingStarted.getByRole('button', { name: 'Close' }).click();
  await expect(gettingStarted).toBeHidden();
});

test('the menu bar works from the keyboard, and Ctrl+, opens Preferences', async ({ burrowApp, burrowMode }) => {
  test.skip(burrowMode === 'electron', 'The native menu bar is drawn by the operating system.');
  const { window } = burrowApp;
  await window.getByRole('menuitem', { name: 'File' }).focus();
  await window.keyboard.press('ArrowDown');
  await expect(window.getByRole('menuitem', { name: 'New Chat…' })).toBeFocused();
  await window.keyboard.press('ArrowDown');
  await window.keyboard.press('ArrowDown');
  await expect(window.getByRole('menuitem', { name: 'Preferences…' })).toBeFocused();
  await window.keyboard.press('Escape');
  await expect(window.getByRole('menu')).toHaveCount(0);

  const popup = window.waitForEvent('popup');
  await window.keyboard.press('Control+Comma');
  const preferences = await popup;
  await expect(preferences.getByRole('heading', { name: 'Preferences' })).toBeVisible();
});
