import { BrowserWindow, screen, type BrowserWindowConstructorOptions } from 'electron';
import { fittedTo, PREFERENCES_WINDOW_SIZE, type PreferencesPlace, type WindowKind } from '../contract/windows.js';
import { preloadPath, rendererPageUrl } from './paths.js';

const secureWebPreferences: BrowserWindowConstructorOptions['webPreferences'] = {
  preload: preloadPath,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: true,
};

function createWindow(kind: WindowKind, options: BrowserWindowConstructorOptions, place?: PreferencesPlace): BrowserWindow {
  const window = new BrowserWindow({ ...options, show: false, webPreferences: secureWebPreferences });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(rendererPageUrl(kind, place));
  return window;
}

let chatWindow: BrowserWindow | undefined;
let preferencesWindow: BrowserWindow | undefined;

/** What the chat window does when it is made: main keeps it in the tray on close (close-to-tray.ts). */
let onChatWindowCreated: (window: BrowserWindow) => void = () => undefined;

export function whenChatWindowCreated(setUp: (window: BrowserWindow) => void): void {
  onChatWindowCreated = setUp;
}

/** Shows the chat window: brought back from the tray, or made anew. */
export function openChatWindow(): BrowserWindow {
  if (chatWindow && !chatWindow.isDestroyed()) {
    if (chatWindow.isMinimized()) chatWindow.restore();
    if (!chatWindow.isVisible()) chatWindow.show();
    chatWindow.focus();
    return chatWindow;
  }
  chatWindow = createWindow('chat', { title: 'Burrow', width: 1100, height: 720, minWidth: 640, minHeight: 420 });
  onChatWindowCreated(chatWindow);
  return chatWindow;
}

/**
 * Preferences is a window of its own, one at a time, like Sametime's File > Preferences; opened at
 * `place` when given. One already open is only brought forward: reloading it would lose its edits.
 */
export function openPreferencesWindow(place?: PreferencesPlace): BrowserWindow {
  if (preferencesWindow && !preferencesWindow.isDestroyed()) {
    preferencesWindow.focus();
    return preferencesWindow;
  }
  const parent = chatWindow && !chatWindow.isDestroyed() ? chatWindow : undefined;
  const display = parent ? screen.getDisplayMatching(parent.getBounds()) : screen.getPrimaryDisplay();
  preferencesWindow = createWindow('preferences', {
    title: 'Preferences',
    ...fittedTo(display.workAreaSize, PREFERENCES_WINDOW_SIZE),
    minWidth: 640,
    minHeight: 480,
    ...(parent ? { parent } : {}),
  }, place);
  return preferencesWindow;
}
