/**
 * The application menu, described once: Electron's main process builds its native menu from
 * it, and browser mode draws the same menu bar inside the page.
 */
import { z } from 'zod';

/** Commands of the chat window's contacts and conversations. */
export const chatCommandNames = ['new-chat', 'find-contact'] as const;
export type ChatCommand = (typeof chatCommandNames)[number];

/** Commands the chat window's page carries out itself; Electron's main forwards them as `menu:command`. */
export const pageCommandNames = [...chatCommandNames, 'getting-started'] as const;
export type PageCommand = (typeof pageCommandNames)[number];

export type MenuCommand = 'preferences' | 'quit' | 'about' | PageCommand;

export function isChatCommand(command: MenuCommand): command is ChatCommand {
  return (chatCommandNames as readonly string[]).includes(command);
}

export function isPageCommand(command: MenuCommand): command is PageCommand {
  return (pageCommandNames as readonly string[]).includes(command);
}

/** The `menu:command` event: a page command chosen from Electron's native menu, for the chat window. */
export const MenuCommandEvent = z.strictObject({ command: z.enum(pageCommandNames) });
export type MenuCommandEvent = z.infer<typeof MenuCommandEvent>;

export interface MenuCommandItem {
  command: MenuCommand;
  label: string;
  /** Electron accelerator syntax; the browser menu bar shows and handles the same keys. */
  accelerator?: string;
}

export interface TopLevelMenu {
  label: string;
  items: Array<MenuCommandItem | 'separator'>;
}

export const applicationMenu: readonly TopLevelMenu[] = [
  {
    label: 'File',
    items: [
      { command: 'new-chat', label: 'New Chat…', accelerator: 'CmdOrCtrl+N' },
      { command: 'find-contact', label: 'Find…', accelerator: 'CmdOrCtrl+K' },
      'separator',
      { command: 'preferences', label: 'Preferences…', accelerator: 'CmdOrCtrl+,' },
      'separator',
      { command: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  },
  {
    label: 'Help',
    items: [{ command: 'getting-started', label: 'Getting started' }, 'separator', { command: 'about', label: 'About Burrow' }],
  },
];

/** Shows an accelerator the way the platform spells it ("Ctrl+," or "⌘,"). */
export function formatAccelerator(accelerator: string, isMac: boolean): string {
  return isMac ? accelerator.replace('CmdOrCtrl+', '⌘') : accelerator.replace('CmdOrCtrl', 'Ctrl');
}

/** Whether a keydown matches an accelerator such as "CmdOrCtrl+,". */
export function matchesAccelerator(
  accelerator: string,
  key: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean },
  isMac: boolean,
): boolean {
  const parts = accelerator.split('+');
  const keyName = parts.pop();
  if (keyName === undefined || key.altKey || key.shiftKey) return false;
  const wantsCommand = parts.includes('CmdOrCtrl');
  const commandPressed = isMac ? key.metaKey : key.ctrlKey;
  return wantsCommand === commandPressed && key.key.toLowerCase() === keyName.toLowerCase();
}
