/**
 * Exposes exactly the contract to the page as `window.burrow`, nothing else. Sandboxed
 * preloads cannot load local modules, so this file is bundled (vite.preload.config.ts).
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  EVENT_IPC_CHANNEL,
  EVENT_TAKEN_IPC_CHANNEL,
  isEventChannel,
  isRequestChannel,
  unwrapOutcome,
  type BurrowApi,
  type EventChannel,
  type Outcome,
} from '../contract/contract.js';

const api: BurrowApi = {
  invoke: async (channel: string, payload?: unknown) => {
    if (!isRequestChannel(channel)) throw new TypeError(`Unknown request channel ${JSON.stringify(channel)}.`);
    const outcome = (await ipcRenderer.invoke(channel, payload)) as Outcome<never>;
    return unwrapOutcome(channel, outcome);
  },
  on: (channel: EventChannel, listener: (payload: never) => void) => {
    if (!isEventChannel(channel)) throw new TypeError(`Unknown event channel ${JSON.stringify(channel)}.`);
    const forward = (_event: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === channel) listener(payload as never);
    };
    ipcRenderer.on(EVENT_IPC_CHANNEL, forward);
    return () => void ipcRenderer.removeListener(EVENT_IPC_CHANNEL, forward);
  },
} as BurrowApi;

// Once the page's listeners have run, main hears the event was taken: a page too busy to take them has its events held and merged.
ipcRenderer.on(EVENT_IPC_CHANNEL, () => void setTimeout(() => ipcRenderer.send(EVENT_TAKEN_IPC_CHANNEL)));

contextBridge.exposeInMainWorld('burrow', api);
