import { describe, expect, it } from 'vitest';
import { applicationMenu, formatAccelerator, isChatCommand, isPageCommand, matchesAccelerator, MenuCommandEvent } from './menu.js';

const press = (key: string, modifiers: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...modifiers,
});

describe('the application menu', () => {
  it('has File › New Chat, Find, Preferences on CmdOrCtrl+, and Quit, and Help › Getting started and About', () => {
    const labels = applicationMenu.map((menu) => [menu.label, menu.items.map((item) => (item === 'separator' ? '-' : item.label))]);
    expect(labels).toEqual([
      ['File', ['New Chat…', 'Find…', '-', 'Preferences…', '-', 'Quit']],
      ['Help', ['Getting started', '-', 'About Burrow']],
    ]);
    expect(applicationMenu[0]?.items).toContainEqual({ command: 'preferences', label: 'Preferences…', accelerator: 'CmdOrCtrl+,' });
    expect(applicationMenu[0]?.items[0]).toMatchObject({ command: 'new-chat', accelerator: 'CmdOrCtrl+N' });
    expect(applicationMenu[0]?.items[1]).toMatchObject({ command: 'find-contact', accelerator: 'CmdOrCtrl+K' });
  });

  it('tells the chat window\'s own commands apart', () => {
    expect(isChatCommand('new-chat')).toBe(true);
    expect(isChatCommand('find-contact')).toBe(true);
    expect(isChatCommand('getting-started')).toBe(false);
    expect(isChatCommand('preferences')).toBe(false);
    expect(isPageCommand('getting-started')).toBe(true);
    expect(isPageCommand('new-chat')).toBe(true);
    expect(isPageCommand('about')).toBe(false);
    expect(MenuCommandEvent.safeParse({ command: 'getting-started' }).success).toBe(true);
    expect(MenuCommandEvent.safeParse({ command: 'quit' }).success).toBe(false);
  });

  it('matches CmdOrCtrl to Ctrl elsewhere and to Command on macOS', () => {
    expect(matchesAccelerator('CmdOrCtrl+,', press(',', { ctrlKey: true }), false)).toBe(true);
    expect(matchesAccelerator('CmdOrCtrl+,', press(',', { metaKey: true }), false)).toBe(false);
    expect(matchesAccelerator('CmdOrCtrl+,', press(',', { metaKey: true }), true)).toBe(true);
    expect(matchesAccelerator('CmdOrCtrl+,', press(','), false)).toBe(false);
    expect(matchesAccelerator('CmdOrCtrl+Q', press('q', { ctrlKey: true }), false)).toBe(true);
    expect(matchesAccelerator('CmdOrCtrl+Q', press('Q', { ctrlKey: true, shiftKey: true }), false)).toBe(false);
  });

  it('spells accelerators the way each platform does', () => {
    expect(formatAccelerator('CmdOrCtrl+,', false)).toBe('Ctrl+,');
    expect(formatAccelerator('CmdOrCtrl+,', true)).toBe('⌘,');
  });
});
