import { describe, expect, it } from 'vitest';
import { applicationMenu, formatAccelerator, matchesAccelerator } from './menu.js';

const press = (key: string, modifiers: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...modifiers,
});

describe('the application menu', () => {
  it('has File › Preferences on CmdOrCtrl+, and File › Quit and Help › About', () => {
    const labels = applicationMenu.map((menu) => [menu.label, menu.items.map((item) => (item === 'separator' ? '-' : item.label))]);
    expect(labels).toEqual([
      ['File', ['Preferences…', '-', 'Quit']],
      ['Help', ['About Burrow']],
    ]);
    expect(applicationMenu[0]?.items[0]).toMatchObject({ command: 'preferences', accelerator: 'CmdOrCtrl+,' });
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
