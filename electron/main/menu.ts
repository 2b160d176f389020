import { Menu, type MenuItemConstructorOptions } from 'electron';
import { applicationMenu, type MenuCommand } from '../contract/menu.js';

/**
 * Builds the native menu from the same description browser mode draws in the page; with
 * `restartToUpdate` (an update is downloaded: Electron only), Help starts with "Restart to Update".
 */
export function installApplicationMenu(run: (command: MenuCommand) => void, restartToUpdate?: () => void): void {
  const template: MenuItemConstructorOptions[] = applicationMenu.map((menu) => ({
    label: menu.label,
    submenu: [
      ...(restartToUpdate && menu.label === 'Help' ? [{ label: 'Restart to Update', click: restartToUpdate }, { type: 'separator' as const }] : []),
      ...menu.items.map((item): MenuItemConstructorOptions =>
        item === 'separator'
          ? { type: 'separator' }
          : { id: item.command, label: item.label, accelerator: item.accelerator, click: () => run(item.command) },
      ),
    ],
  }));
  if (process.platform === 'darwin') template.unshift({ role: 'appMenu' });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
