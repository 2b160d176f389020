/** Electron's main process: app lifecycle, windows, menu and IPC — thin glue over core. */
import { app, dialog, session } from 'electron';
import ElectronStore from 'electron-store';
import { createCore } from '../core/index.js';
import { loadPolicy, PolicyError, policyPaths } from '../core/settings/index.js';
import { KeychainSecretStore } from './keychain.js';
import { registerContractHandlers } from './ipc.js';
import { installApplicationMenu } from './menu.js';
import { lockDownWebContents } from './security.js';
import { openChatWindow, openPreferencesWindow } from './windows.js';

if (process.env.BURROW_DATA_DIR) app.setPath('userData', process.env.BURROW_DATA_DIR);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => openChatWindow());
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => openChatWindow());
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  lockDownWebContents();
  const policy = await loadPolicy(policyPaths(process.resourcesPath)).catch((error: unknown) => {
    // A half-applied policy is worse than none: stop and say which field is wrong.
    dialog.showErrorBox('Burrow cannot start', error instanceof PolicyError ? error.message : String(error));
    app.exit(1);
    throw error;
  });
  const dataDir = app.getPath('userData');
  const core = await createCore({
    dataDir,
    mode: 'electron',
    version: app.getVersion(),
    secrets: new KeychainSecretStore(dataDir),
    policy,
    createConf: (options) => new ElectronStore(options as ConstructorParameters<typeof ElectronStore>[0]),
    systemProxy: { resolve: (url) => session.defaultSession.resolveProxy(url) },
  });

  const showAbout = () =>
    void dialog.showMessageBox({
      type: 'info',
      title: 'About Burrow',
      message: `Burrow ${core.info.version}`,
      detail: `A desktop messenger that gets through.\n${core.info.runtime}`,
    });

  registerContractHandlers(core, (sender) => ({
    'window:openPreferences': () => void openPreferencesWindow(),
    'window:close': () => sender?.close(),
    'app:quit': () => app.quit(),
  }));
  installApplicationMenu((command) => {
    if (command === 'preferences') openPreferencesWindow();
    else if (command === 'quit') app.quit();
    else showAbout();
  });
  openChatWindow();
}
