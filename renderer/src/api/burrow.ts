import type { BurrowApi } from '../../../electron/contract/contract.js';
import { createBrowserClient } from './browser-client.js';

declare global {
  interface Window {
    /** Exposed by the preload in Electron; absent in browser mode. */
    burrow?: BurrowApi;
  }
}

export const isBrowserMode = window.burrow === undefined;

/** The only way the UI reaches the rest of Burrow. */
export const burrow: BurrowApi = window.burrow ?? createBrowserClient();
