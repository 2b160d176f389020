import { test as base } from '@playwright/test';
import { findElectronBinary, launchBrowserMode, launchElectron, type BurrowApp } from './launch.js';

export interface BurrowOptions {
  burrowMode: 'browser' | 'electron';
  /** An administrator policy file for the app under test (browser mode only). */
  burrowPolicyFile: string | undefined;
}

export const test = base.extend<BurrowOptions & { burrowApp: BurrowApp }>({
  burrowMode: ['browser', { option: true }],
  burrowPolicyFile: [undefined, { option: true }],
  burrowApp: async ({ burrowMode, burrowPolicyFile, browser }, use, testInfo) => {
    let app: BurrowApp;
    if (burrowMode === 'electron') {
      if (burrowPolicyFile !== undefined) {
        testInfo.skip(true, 'Electron reads the administrator policy only from its resources folder and the machine-wide path; policy specs run in browser mode.');
        return;
      }
      const electronBinary = findElectronBinary();
      if ('reason' in electronBinary) {
        testInfo.skip(true, `Electron suite skipped: ${electronBinary.reason}.`);
        return;
      }
      app = await launchElectron(electronBinary.path);
    } else {
      app = await launchBrowserMode(browser, { policyFile: burrowPolicyFile });
    }
    await use(app);
    await app.close();
  },
});

export { expect } from '@playwright/test';
