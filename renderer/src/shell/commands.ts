import type { ChatCommand } from '../../../electron/contract/menu.js';

export type { ChatCommand };

/** Where the chat window hears the menu's chat commands (New Chat…, Find…). */
export interface ChatCommandSource {
  subscribe(listener: (command: ChatCommand) => void): () => void;
}

const target = new EventTarget();

/**
 * The chat commands of the application menu, from the page's menu bar (browser mode) or from
 * Electron's native menu (the `menu:command` event), to the chat window.
 */
export const chatCommands: ChatCommandSource & { dispatch(command: ChatCommand): void } = {
  dispatch(command) {
    target.dispatchEvent(new CustomEvent<ChatCommand>('command', { detail: command }));
  },
  subscribe(listener) {
    const handler = (event: Event) => listener((event as CustomEvent<ChatCommand>).detail);
    target.addEventListener('command', handler);
    return () => target.removeEventListener('command', handler);
  },
};
