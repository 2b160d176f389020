/**
 * Closing the chat window hides Burrow to the tray on Windows and Linux when the setting says so
 * (macOS keeps its own convention: the app stays in the dock). The first time, Burrow says where
 * it went, once. Quit — the tray's, File › Quit, or the system's — still quits.
 */
import { dialog, Notification, type BrowserWindow } from 'electron';
import type { OnceHints } from '../core/desktop/once.js';

export const CLOSED_TO_TRAY_TITLE = 'Burrow is still running';
export const CLOSED_TO_TRAY_MESSAGE = 'Burrow is still running in the tray; change this in Preferences (Desktop and presence). Quit it from the tray or File › Quit.';

let quitting = false;

/** Burrow is quitting (app's before-quit): from now on, closing a window closes it. */
export function letWindowsClose(): void {
  quitting = true;
}

export interface CloseToTrayDeps {
  /** The setting in effect now. */
  closeToTray: () => boolean;
  hints: OnceHints;
}

/** Makes `window`'s close button hide it instead, while the setting is on and Burrow is not quitting. */
export function keepInTrayOnClose(window: BrowserWindow, { closeToTray, hints }: CloseToTrayDeps): void {
  window.on('close', (event) => {
    if (quitting || process.platform === 'darwin' || !closeToTray()) return;
    event.preventDefault();
    window.hide();
    if (hints.firstTime('closed-to-tray')) explain();
  });
}

function explain(): void {
  if (Notification.isSupported()) {
    new Notification({ title: CLOSED_TO_TRAY_TITLE, body: CLOSED_TO_TRAY_MESSAGE }).show();
  } else {
    void dialog.showMessageBox({ type: 'info', title: CLOSED_TO_TRAY_TITLE, message: CLOSED_TO_TRAY_TITLE, detail: CLOSED_TO_TRAY_MESSAGE });
  }
}
