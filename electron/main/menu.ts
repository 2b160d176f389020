import { Menu, type MenuItemConstructorOptions } from 'electron';
import { applicationMenu, type MenuCommand } from '../contract/menu.js';

/** Builds the native menu from the same description browser mode draws in the page. */
export function installApplicationMenu(run: (command: MenuCommand) => void): void {
  const template: MenuItemConstructorOptions[] = applicationMenu.map((menu) => ({
    label: menu.label,
    submenu: menu.items.map((item): MenuItemConstructorOptions =>
      item === 'separator'
        ? { type: 'separator' }
        : { id: item.command, label: item.label, accelerator: item.accelerator, click: () => run(item.command) },
    ),
  }));
  if (process.platform === 'darwin') template.unshift({ role: 'appMenu' });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
