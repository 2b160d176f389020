/**
 * The chat window and Preferences at large text, zoom and a narrow window: the contact list, the
 * message box and their buttons stay usable. No server is reached: the community comes from a
 * policy and is never signed in to (the first run, which asks for its password, is skipped).
 */
import type { Locator, Page } from '@playwright/test';
import path from 'node:path';
import { expect, test } from './fixtures.js';
import { projectRoot } from './launch.js';

test.use({ burrowPolicyFile: path.join(projectRoot, 'e2e/fixtures/locked-policy.json') });

const peer = 'bob@example.com';

/**
 * The browser's own text size setting (Chromium's default font size, 16 px), which Burrow's text
 * follows: 150 % is 24 px.
 */
async function setTextSize(page: Page, factor: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.setFontSizes', { fontSizes: { standard: Math.round(16 * factor), fixed: Math.round(13 * factor) } });
}

/**
 * Browser zoom makes the CSS pixel bigger: at 200 % a window lays out as one of half its size,
 * media queries included. A viewport of half the size is exactly that layout; a device scale
 * factor would only sharpen the pixels, and CSS `zoom` leaves media queries seeing the full width.
 */
async function setZoom(page: Page, factor: number, window: { width: number; height: number }): Promise<void> {
  await page.setViewportSize({ width: Math.round(window.width / factor), height: Math.round(window.height / factor) });
}

const sidebarOf = (page: Page) => page.getByRole('complementary', { name: 'Contacts and status' });
const messageBoxOf = (page: Page) => page.getByRole('textbox', { name: 'Message' });

async function expectContactsUsable(page: Page): Promise<void> {
  const sidebar = sidebarOf(page);
  await expect(sidebar.getByRole('searchbox', { name: 'Search contacts' })).toBeInViewport();
  await expect(sidebar.getByText('No contacts yet. Add one with “Add contact”.')).toBeVisible();
  const addContact = sidebar.getByRole('button', { name: 'Add contact' });
  await addContact.click();
  const form = sidebar.getByRole('form', { name: 'Add contact' });
  await expect(form.getByLabel('Contact address')).toBeInViewport();
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(addContact).toBeInViewport();
}

async function openConversation(page: Page): Promise<void> {
  await sidebarOf(page).getByRole('button', { name: 'New chat' }).click();
  await page.getByLabel('Chat with').fill(peer);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: peer })).toBeVisible();
}

/** Whether the empty box shows its whole placeholder on one line, not a clipped fragment of it. */
async function showsWholePlaceholder(box: Locator): Promise<boolean> {
  return box.evaluate((element: HTMLTextAreaElement) => {
    const style = getComputedStyle(element);
    const context = document.createElement('canvas').getContext('2d')!;
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const width = element.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const height = element.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    return context.measureText(element.placeholder).width <= width && height >= parseFloat(style.lineHeight);
  });
}

async function expectMessageBoxUsable(page: Page): Promise<void> {
  const box = messageBoxOf(page);
  await expect(box).toBeInViewport();
  expect(await isUncovered(box)).toBe(true);
  await expect(box).toHaveAttribute('placeholder', `Message ${peer}`);
  expect(await showsWholePlaceholder(box)).toBe(true);
  await box.fill('Hello from a small window');
  await expect(box).toHaveValue('Hello from a small window');
  await expect(page.getByRole('button', { name: 'Send' })).toBeInViewport();
}

/** Whether the element is what the user sees at its centre, not something drawn over it. */
async function isUncovered(element: Locator): Promise<boolean> {
  return element.evaluate((target) => {
    const { left, top, width, height } = target.getBoundingClientRect();
    const seen = document.elementFromPoint(left + width / 2, top + height / 2);
    return seen !== null && target.contains(seen);
  });
}

/** Too little room for both: the conversation takes the window, and Contacts leads back to the list. */
async function expectOnePaneAtATime(page: Page, screenshot: (name: string) => string): Promise<void> {
  await expectContactsUsable(page);
  await page.screenshot({ path: screenshot('contacts.png') });
  await openConversation(page);
  await expect(sidebarOf(page)).toBeHidden();
  await expectMessageBoxUsable(page);
  await page.screenshot({ path: screenshot('conversation.png') });

  await page.getByRole('button', { name: 'Contacts' }).click();
  await expect(messageBoxOf(page)).toBeHidden();
  await expect(sidebarOf(page).getByRole('searchbox', { name: 'Search contacts' })).toBeFocused();
  await expectContactsUsable(page);
}

test.describe('The chat window', () => {
  // The policy's community has no password yet: the first run asks for it, and is left for later.
  test.beforeEach(async ({ burrowApp }) => {
    await burrowApp.window.getByRole('button', { name: 'Continue to Burrow' }).click();
  });

  test('at 150 % text in an 800×600 window shows the contacts and the conversation one at a time, each usable', async ({ burrowApp }, testInfo) => {
    const { window } = burrowApp;
    await window.setViewportSize({ width: 800, height: 600 });
    await setTextSize(window, 1.5);
    await expectOnePaneAtATime(window, (name) => testInfo.outputPath(`text-150-${name}`));
  });

  test('at 200 % zoom shows the contacts and the conversation one at a time, each usable', async ({ burrowApp }, testInfo) => {
    const { window } = burrowApp;
    await setZoom(window, 2, { width: 1100, height: 720 });
    await expectOnePaneAtATime(window, (name) => testInfo.outputPath(`zoom-200-${name}`));
  });

  test('640 px wide keeps the contacts beside the conversation, both usable', async ({ burrowApp }, testInfo) => {
    const { window } = burrowApp;
    await window.setViewportSize({ width: 640, height: 480 });
    await openConversation(window);
    await expectMessageBoxUsable(window);
    await expectContactsUsable(window);
    await expect(messageBoxOf(window)).toBeInViewport();
    await expect(window.getByRole('button', { name: 'Contacts' })).toHaveCount(0);
    await window.screenshot({ path: testInfo.outputPath('width-640.png') });
  });
});

test('Preferences at 200 % zoom keeps its sections, the community and OK, Cancel and Apply within reach', async ({ burrowApp }, testInfo) => {
  const preferences = await burrowApp.openPreferences();
  await setZoom(preferences, 2, { width: 960, height: 760 });
  await expect(preferences.getByRole('tab', { name: 'Server Communities' })).toBeInViewport();
  await expect(preferences.getByRole('tab', { name: 'Global connection settings' })).toBeInViewport();
  await expect(preferences.getByRole('option', { name: 'Corp chat' })).toBeInViewport();
  for (const name of ['OK', 'Cancel', 'Apply']) await expect(preferences.getByRole('button', { name, exact: true })).toBeInViewport();
  await preferences.screenshot({ path: testInfo.outputPath('preferences-zoom-200.png') });

  const userName = preferences.getByLabel('User name');
  await userName.fill('alice');
  expect(await isUncovered(userName)).toBe(true);
  await expect(preferences.getByRole('button', { name: 'Test connection' })).toBeVisible();
  await preferences.screenshot({ path: testInfo.outputPath('preferences-zoom-200-editing.png') });
});
