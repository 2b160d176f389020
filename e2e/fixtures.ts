import { test as base } from '@playwright/test';
import { findElectronBinary, launchBrowserMode, launchElectron, type BurrowApp } from './launch.js';

export interface BurrowOptions {
  burrowMode: 'browser' | 'electron';
}

export const test = base.extend<BurrowOptions & { burrowApp: BurrowApp }>({
  burrowMode: ['browser', { option: true }],
  burrowApp: async ({ burrowMode, browser }, use, testInfo) => {
    let app: BurrowApp;
    if (burrowMode === 'electron') {
      const electronBinary = findElectronBinary();
      if ('reason' in electronBinary) {
        testInfo.skip(true, `Electron suite skipped: ${electronBinary.reason}.`);
        return;
      }
      app = await launchElectron(electronBinary.path);
    } else {
      app = await launchBrowserMode(browser);
    }
    await use(app);
    await app.close();
  },
});

export { expect } from '@playwright/test';
