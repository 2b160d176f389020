import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { AppInfo, CoreRequestChannel } from '../contract/contract.js';
import type { Handlers } from '../contract/validate.js';
import { EventHub } from './events.js';
import { NoticeBoard } from './notices.js';

export interface CoreOptions {
  /** Where Burrow keeps the user's data (Electron: app.getPath('userData')). */
  dataDir: string;
  mode: AppInfo['mode'];
  version: string;
}

/** Everything behind the contract, in plain Node: the Electron main process and the browser-mode host each run one. */
export interface Core {
  readonly info: AppInfo;
  readonly events: EventHub;
  readonly notices: NoticeBoard;
  readonly handlers: Handlers<CoreRequestChannel>;
  close(): Promise<void>;
}

export async function createCore(options: CoreOptions): Promise<Core> {
  const dataDir = path.resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const events = new EventHub();
  const notices = new NoticeBoard(events);
  const info: AppInfo = {
    name: 'Burrow',
    version: options.version,
    mode: options.mode,
    platform: process.platform,
    runtime: `Node ${process.versions.node}${process.versions.electron ? `, Electron ${process.versions.electron}` : ''}`,
    dataDir,
  };
  const handlers: Handlers<CoreRequestChannel> = {
    'app:getInfo': () => info,
    'app:listNotices': () => notices.list(),
    'app:dismissNotice': ({ id }) => notices.dismiss(id),
  };
  return {
    info,
    events,
    notices,
    handlers,
    close: async () => {},
  };
}
