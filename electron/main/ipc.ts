import { BrowserWindow, ipcMain, webContents, type IpcMainInvokeEvent } from 'electron';
import {
  EVENT_IPC_CHANNEL,
  requestChannels,
  type LifecycleRequestChannel,
  type WindowRequestChannel,
} from '../contract/contract.js';
import { dispatch, type Handlers } from '../contract/validate.js';
import type { Core } from '../core/index.js';
import { isRendererUrl } from './paths.js';

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame === event.sender.mainFrame && isRendererUrl(frame.url);
}

/**
 * Serves every request channel of the contract: core's own handlers and the window
 * and lifecycle handlers main adds. Payloads are validated before any handler runs, and requests from
 * anything but Burrow's own top-level pages are refused.
 */
export function registerContractHandlers(
  core: Core,
  shellHandlersFor: (sender: BrowserWindow | null) => Handlers<WindowRequestChannel | LifecycleRequestChannel>,
): void {
  for (const channel of requestChannels) {
    ipcMain.handle(channel, (event, payload: unknown) => {
      if (!isTrustedSender(event)) {
        return { ok: false, error: { code: 'forbidden', message: `${channel}: refused a request from an untrusted page.` } };
      }
      const handlers = { ...core.handlers, ...shellHandlersFor(BrowserWindow.fromWebContents(event.sender)) };
      return dispatch(handlers, channel, payload);
    });
  }
  core.events.subscribe((channel, payload) => {
    for (const contents of webContents.getAllWebContents()) {
      if (!contents.isDestroyed() && isRendererUrl(contents.getURL())) contents.send(EVENT_IPC_CHANNEL, channel, payload);
    }
  });
}
