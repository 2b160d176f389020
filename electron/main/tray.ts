/**
 * The tray icon: every account's state in its tooltip and menu, Open Burrow and Quit; and the
 * unread count on the app's badge (macOS dock, Linux launchers that support it).
 */
import path from 'node:path';
import { app, Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import type { AccountView } from '../contract/contract.js';
import type { Core } from '../core/index.js';
import { accountStatusLine } from '../contract/account-words.js';
import { trayTooltip } from './tray-status.js';

export interface TrayDeps {
  core: Pick<Core, 'events' | 'handlers'>;
  openChat: () => void;
  quit: () => void;
}

let tray: Tray | undefined;

function trayIcon(): Electron.NativeImage {
  const icon = nativeImage.createFromPath(path.join(app.getAppPath(), 'assets', 'icon.png'));
  if (icon.isEmpty()) return icon;
  const size = process.platform === 'darwin' ? 18 : 24;
  return icon.resize({ width: size, height: size, quality: 'best' });
}

export function installTray({ core, openChat, quit }: TrayDeps): () => void {
  const accounts = new Map<string, AccountView>();
  const unread = new Map<string, number>();
  tray = new Tray(trayIcon());
  const current = tray;

  const update = () => {
    const total = [...unread.values()].reduce((sum, count) => sum + count, 0);
    const views = [...accounts.values()];
    current.setToolTip(trayTooltip(views, total));
    const statusItems: MenuItemConstructorOptions[] = views.map((account) => ({ label: accountStatusLine(account), enabled: false }));
    current.setContextMenu(
      Menu.buildFromTemplate([
        ...statusItems,
        ...(statusItems.length > 0 ? [{ type: 'separator' as const }] : []),
        ...(total > 0 ? [{ label: total === 1 ? '1 unread message' : `${total} unread messages`, enabled: false }, { type: 'separator' as const }] : []),
        { label: 'Open Burrow', click: openChat },
        { label: 'Quit', click: quit },
      ]),
    );
    app.setBadgeCount(total);
  };

  /** The accounts as core lists them now, and their conversations' unread counts. */
  const load = async () => {
    const listed = await core.handlers['accounts:list'](undefined);
    accounts.clear();
    for (const account of listed) accounts.set(account.communityId, account);
    for (const key of unread.keys()) if (!accounts.has(key.slice(0, key.indexOf(' ')))) unread.delete(key);
    update();
    for (const { communityId } of listed) {
      const conversations = await Promise.resolve(core.handlers['chat:conversations']({ communityId })).catch(() => []);
      for (const conversation of conversations) unread.set(`${communityId} ${conversation.peer}`, conversation.unread);
    }
    update();
  };
  const reload = () => void load().catch(() => update());

  const unsubscribe = [
    core.events.on('account:changed', (account) => {
      accounts.set(account.communityId, account);
      update();
    }),
    core.events.on('chat:conversation', ({ communityId, peer, unread: count }) => {
      unread.set(`${communityId} ${peer}`, count);
      update();
    }),
    // A community added or removed.
    core.events.on('settings:changed', reload),
  ];
  current.on('click', openChat);
  update();
  reload();

  return () => {
    for (const off of unsubscribe) off();
    current.destroy();
    if (tray === current) tray = undefined;
  };
}
