/** Electron's main process: app lifecycle, windows, menu and IPC — thin glue over core. */
import { app, dialog, session, shell } from 'electron';
import ElectronStore from 'electron-store';
import { EVENT_IPC_CHANNEL } from '../contract/contract.js';
import { isPageCommand, type MenuCommand, type PageCommand } from '../contract/menu.js';
import { validateEvent } from '../contract/validate.js';
import { errorWords } from '../contract/error-words.js';
import { createCore, type Core } from '../core/index.js';
import { loadPolicy, policyPaths, readPlatformPolicies } from '../core/settings/index.js';
import { detectInstallation } from '../core/updates/installation.js';
import { updatePlan } from '../core/updates/plan.js';
import { runUpdates } from '../core/updates/updates.js';
import { onceHints } from '../core/desktop/once.js';
import { chromiumHttpStack } from './chromium-http-stack.js';
import { keepInTrayOnClose, letWindowsClose } from './close-to-tray.js';
import { watchSystemIdle } from './idle.js';
import { KeychainSecretStore } from './keychain.js';
import { registerContractHandlers } from './ipc.js';
import { installApplicationMenu } from './menu.js';
import { installNotifications } from './notifications.js';
import { lockDownWebContents } from './security.js';
import { applyStartAtLogin, openedAtLogin } from './start-at-login.js';
import { installTray } from './tray.js';
import { electronUpdaterSeam, restartToUpdate } from './updates.js';
import { openChatWindow, openPreferencesWindow, whenChatWindowCreated } from './windows.js';

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
  const policy = await loadPolicy(policyPaths(process.resourcesPath), readPlatformPolicies).catch((error: unknown) => {
    // A half-applied policy is worse than none: stop and say which field is wrong.
    dialog.showErrorBox('Burrow cannot start', errorWords(error));
    app.exit(1);
    throw error;
  });
  const dataDir = app.getPath('userData');
  const secrets = new KeychainSecretStore(dataDir);
  const core = await createCore({
    dataDir,
    mode: 'electron',
    version: app.getVersion(),
    secrets,
    policy,
    createConf: (options) => new ElectronStore(options as ConstructorParameters<typeof ElectronStore>[0]),
    systemProxy: { resolve: (url) => session.defaultSession.resolveProxy(url) },
    systemNetworkStack: chromiumHttpStack(),
  });

  if (secrets.sessionOnly) {
    core.notices.post('warning', 'This system has no keychain Burrow can use, so the passwords you enter are kept only until Burrow quits: they are never written to disk.');
  }

  const showAbout = () =>
    void dialog.showMessageBox({
      type: 'info',
      title: 'About Burrow',
      message: `Burrow ${core.info.version}`,
      detail: `A desktop messenger that gets through.\n${core.info.runtime}`,
    });

  registerContractHandlers(core, (sender) => ({
    'window:openPreferences': (place) => void openPreferencesWindow(place),
    'window:close': () => sender?.close(),
    // The contract admits only http(s) and mailto URLs.
    'window:openExternal': ({ url }) => shell.openExternal(url),
    'app:quit': () => app.quit(),
  }));
  const runMenuCommand = (command: MenuCommand) => {
    if (isPageCommand(command)) sendToChatWindow(command);
    else if (command === 'preferences') openPreferencesWindow();
    else if (command === 'quit') app.quit();
    else showAbout();
  };
  installApplicationMenu(runMenuCommand);
  // Sign every account out cleanly (the server then ends the sessions) before the process goes.
  let signedOut = false;
  app.on('before-quit', (event) => {
    letWindowsClose();
    if (signedOut) return;
    event.preventDefault();
    void core.close().finally(() => {
      signedOut = true;
      app.quit();
    });
  });
  installNotifications({ events: core.events, openChat: openChatWindow });
  installTray({ core, openChat: () => void openChatWindow(), quit: () => app.quit() });
  const hints = onceHints(dataDir);
  whenChatWindowCreated((window) => keepInTrayOnClose(window, { closeToTray: () => core.settings.desktop().closeToTray, hints }));
  watchSystemIdle(core.awayWhenIdle);
  followStartAtLogin(core);
  // Started by the login item or autostart entry: only the tray icon, until the user opens Burrow.
  if (!openedAtLogin()) openChatWindow();
  runUpdates({
    plan: updatePlan({
      packaged: app.isPackaged,
      installation: detectInstallation({ platform: process.platform, resourcesDir: process.resourcesPath, executable: process.execPath, productName: app.getName(), env: process.env }),
      policy: policy.updates,
    }),
    updater: electronUpdaterSeam,
    notices: core.notices,
    onReady: () => installApplicationMenu(runMenuCommand, restartToUpdate),
    log: (line) => console.info(line),
  });
}

/** Registers start at login as the setting says, at start (the executable may have moved with an update) and whenever it changes. */
function followStartAtLogin(core: Core): void {
  let applied: boolean | undefined;
  const apply = () => {
    const enabled = core.settings.desktop().startAtLogin;
    if (enabled === applied) return;
    applied = enabled;
    applyStartAtLogin(enabled).catch((error: unknown) => {
      core.notices.post('warning', `Burrow could not ${enabled ? 'set itself to start' : 'stop starting'} at login: ${errorWords(error)}`);
    });
  };
  core.events.on('settings:changed', apply);
  apply();
}

/** New Chat…, Find… and Getting started are carried out by the chat window: bring it forward and tell it. */
function sendToChatWindow(command: PageCommand): void {
  const window = openChatWindow();
  const send = () => window.webContents.send(EVENT_IPC_CHANNEL, 'menu:command', validateEvent('menu:command', { command }));
  if (window.webContents.isLoading()) window.webContents.once('did-finish-load', send);
  else send();
}
