/** electron-updater behind core's Updater seam: core decides whether, how often and on which channel. */
import electronUpdater from 'electron-updater';
import type { Updater } from '../core/updates/updates.js';

// Read when used: electron-updater makes its updater on first access, and a run that does not check never does.
const autoUpdater = () => electronUpdater.autoUpdater;

export const electronUpdaterSeam: Updater = {
  setChannel: (channel) => {
    // Also allows a downgrade: a machine moved from beta to stable goes back to the stable version.
    autoUpdater().channel = channel;
  },
  // A failure is told through 'error' as well, which onError hears.
  check: () => void autoUpdater().checkForUpdates().catch(() => undefined),
  onDownloaded: (listener) => void autoUpdater().on('update-downloaded', ({ version }) => listener(version)),
  onError: (listener) => void autoUpdater().on('error', listener),
};

/** Quits (signing out as usual) and installs the downloaded update silently, then starts the new version. */
export function restartToUpdate(): void {
  autoUpdater().quitAndInstall(true, true);
}
