import { existsSync } from 'node:fs';
import path from 'node:path';
import { findElectronBinary, projectRoot } from './launch.js';

export default function globalSetup(): void {
  if (!existsSync(path.join(projectRoot, 'dist/electron/host/main.js')) || !existsSync(path.join(projectRoot, 'dist/renderer/index.html'))) {
    throw new Error('Burrow is not built: run `npm run build` first (`npm run test:e2e` does it for you).');
  }
  const electron = findElectronBinary();
  if ('reason' in electron) console.log(`\nThe Electron project's specs will be skipped: ${electron.reason}.\n`);
}
