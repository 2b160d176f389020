import os from 'node:os';
import path from 'node:path';
import type { AppInfo, CoreRequestChannel } from '../contract/contract.js';
import type { Handlers } from '../contract/validate.js';
import { Accounts } from './accounts/accounts.js';
import { AwayWhenIdle } from './accounts/away-when-idle.js';
import type { AccountsOptions } from './accounts/accounts.js';
import { createCertificateTrust, RefusedCertificates } from './certificate-trust.js';
import { createConnectionTester } from './connection-test.js';
import { dataFolderNotice, dataFolderProblem } from './data-folder.js';
import type { ProxyResolver } from './connection/routes/system-proxy.js';
import type { HttpStack } from './connection/http-stack.js';
import { EventHub } from './events.js';
import { NoticeBoard } from './notices.js';
import type { AdministratorPolicy } from './settings/policy.js';
import { emptyPolicy } from './settings/policy.js';
import type { SecretStore } from './settings/secrets.js';
import { openSettingsService, type SettingsService } from './settings/service.js';
import type { CreateConf } from './settings/store.js';

export interface CoreOptions {
  /** Where Burrow keeps the user's data (Electron: app.getPath('userData')). */
  dataDir: string;
  mode: AppInfo['mode'];
  version: string;
  /** Where passwords live: safeStorage in Electron, an injected store in browser mode and tests. */
  secrets: SecretStore;
  /** The administrator policy, already loaded and validated by the caller. */
  policy?: AdministratorPolicy;
  /** Electron stores settings with electron-store; plain Node with conf. */
  createConf?: CreateConf;
  /** "Use my system proxy settings": Electron asks the OS (session.resolveProxy); plain Node reads the environment or the PAC URL setting. */
  systemProxy?: ProxyResolver;
  /** Electron: Chromium's network stack, for BOSH over HTTPS with "Use my system proxy settings"; plain Node has only Burrow's. */
  systemNetworkStack?: HttpStack;
  /** Connect every configured account at start (the app does); default true. */
  autoConnect?: boolean;
  /** Reconnect pacing and keepalive; tests shorten them. */
  backoff?: AccountsOptions['backoff'];
  keepalive?: AccountsOptions['keepalive'];
}

/** Everything behind the contract, in plain Node: the Electron main process and the browser-mode host each run one. */
export interface Core {
  readonly info: AppInfo;
  readonly events: EventHub;
  readonly notices: NoticeBoard;
  readonly settings: SettingsService;
  readonly accounts: Accounts;
  /** Electron tells it what powerMonitor sees; browser mode's page reports through `presence:idle`. */
  readonly awayWhenIdle: AwayWhenIdle;
  readonly handlers: Handlers<CoreRequestChannel>;
  /** Signs every account out and closes its files. */
  close(): Promise<void>;
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const dataDir = path.resolve(options.dataDir);
  const events = new EventHub();
  const notices = new NoticeBoard(events);
  const problem = await dataFolderProblem(dataDir);
  if (problem !== null) notices.post('error', dataFolderNotice(dataDir, problem));
  const settings = await openSettingsService({
    dataDir,
    secrets: options.secrets,
    policy: options.policy ?? emptyPolicy,
    events,
    notices,
    ...(options.createConf ? { createConf: options.createConf } : {}),
  });
  const info: AppInfo = {
    name: 'Burrow',
    version: options.version,
    mode: options.mode,
    platform: process.platform,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    runtime: `Node ${process.versions.node}${process.versions.electron ? `, Electron ${process.versions.electron}` : ''}`,
    dataDir,
  };
  const refusedCertificates = new RefusedCertificates();
  const connectionDeps = {
    settings,
    secrets: options.secrets,
    refusedCertificates,
    ...(options.systemProxy ? { systemProxy: options.systemProxy } : {}),
    ...(options.systemNetworkStack ? { systemNetworkStack: options.systemNetworkStack } : {}),
  };
  const accounts = new Accounts({
    ...connectionDeps,
    dataDir,
    events,
    autoConnect: options.autoConnect ?? true,
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.keepalive ? { keepalive: options.keepalive } : {}),
    reportFault: (level, message) => void notices.post(level, message),
    standingNotice: (key, level, message) => void notices.standing(key, level, message),
  });
  const awayWhenIdle = new AwayWhenIdle({
    accounts: () => accounts.list(),
    setPresence: (communityId, presence) => accounts.handlers['presence:set']({ communityId, presence }) as Promise<void>,
    awayAfterMinutes: () => settings.desktop().awayAfterMinutes,
    reportFault: (message) => void notices.post('warning', message),
  });
  const stopFollowingSettings = events.on('settings:changed', () => awayWhenIdle.settingsChanged());
  const handlers: Handlers<CoreRequestChannel> = {
    'app:getInfo': () => info,
    'app:listNotices': () => notices.list(),
    'app:dismissNotice': ({ id }) => notices.dismiss(id),
    ...settings.handlers,
    ...createConnectionTester({ ...connectionDeps, events }),
    ...createCertificateTrust({ settings, refused: refusedCertificates, events }),
    ...accounts.handlers,
    ...accounts.fileHandlers,
    ...accounts.avatarHandlers,
    'presence:set': (request) => {
      awayWhenIdle.chosenByHand(request.communityId);
      return accounts.handlers['presence:set'](request);
    },
    'presence:idle': ({ idleMs }) => awayWhenIdle.idleFor(idleMs),
  };
  return {
    info,
    events,
    notices,
    settings,
    accounts,
    awayWhenIdle,
    handlers,
    close: () => {
      stopFollowingSettings();
      awayWhenIdle.close();
      return accounts.close();
    },
  };
}
