import { BrowserWindow, ipcMain, webContents, type IpcMainInvokeEvent, type WebContents } from 'electron';
import {
  EVENT_IPC_CHANNEL,
  EVENT_TAKEN_IPC_CHANNEL,
  requestChannels,
  type LifecycleRequestChannel,
  type WindowRequestChannel,
} from '../contract/contract.js';
import { dispatch, type Handlers } from '../contract/validate.js';
import type { Core } from '../core/index.js';
import { PacedEvents } from '../core/paced-events.js';
import { isRendererUrl } from './paths.js';

/** Events handed to a page and not yet taken, at most: past this the page is busy, and its events are held. */
const maxUntakenEvents = 64;

interface PacedPage {
  paced: PacedEvents;
  untaken: number;
}

function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame' | 'sender'>): boolean {
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
  const pages = new Map<number, PacedPage>();
  ipcMain.on(EVENT_TAKEN_IPC_CHANNEL, (event) => {
    const page = pages.get(event.sender.id);
    if (!page || !isTrustedSender(event)) return;
    page.untaken = Math.max(0, page.untaken - 1);
    page.paced.drain();
  });
  core.events.subscribe((channel, payload) => {
    for (const contents of webContents.getAllWebContents()) {
      if (!contents.isDestroyed() && isRendererUrl(contents.getURL())) pacedPage(pages, contents).paced.send(channel, payload);
    }
  });
}

/** The window's page, paced: what it has not taken counts against it; a page loaded anew has taken nothing and owes nothing. */
function pacedPage(pages: Map<number, PacedPage>, contents: WebContents): PacedPage {
  const known = pages.get(contents.id);
  if (known) return known;
  const page: PacedPage = {
    untaken: 0,
    paced: new PacedEvents({
      deliver: (channel, payload) => {
        page.untaken += 1;
        contents.send(EVENT_IPC_CHANNEL, channel, payload);
      },
      busy: () => page.untaken >= maxUntakenEvents,
    }),
  };
  pages.set(contents.id, page);
  contents.on('did-start-loading', () => {
    page.untaken = 0;
    page.paced.drain();
  });
  contents.once('destroyed', () => pages.delete(contents.id));
  return page;
}
