import { describe, expect, it } from 'vitest';
import { builtInDesktopSettings } from '../../common/settings/desktop.js';
import { defaultSettings } from '../../common/settings/schema.js';
import { emptyPolicy } from './policy.js';
import { desktopValues, resolveDesktop } from './resolve-desktop.js';

describe('resolving the desktop settings', () => {
  it('closes to the tray, does not start at login and goes away after 10 idle minutes when nobody chose otherwise', () => {
    const resolved = resolveDesktop(defaultSettings, emptyPolicy);
    expect(resolved.closeToTray).toEqual({ value: true, source: 'default' });
    expect(desktopValues(resolved)).toEqual(builtInDesktopSettings);
    expect(builtInDesktopSettings).toEqual({ closeToTray: true, startAtLogin: false, awayAfterMinutes: 10 });
  });

  it('lets administrator defaults replace built-in defaults, and the user replace both', () => {
    const resolved = resolveDesktop(
      { ...defaultSettings, desktop: { awayAfterMinutes: 5 } },
      { ...emptyPolicy, desktopDefaults: { awayAfterMinutes: 15, startAtLogin: true } },
    );
    expect(resolved.awayAfterMinutes).toEqual({ value: 5, source: 'user' });
    expect(resolved.startAtLogin).toEqual({ value: true, source: 'admin-default' });
    expect(resolved.closeToTray).toEqual({ value: true, source: 'default' });
  });

  it('lets administrator locks win over the user', () => {
    const resolved = resolveDesktop({ ...defaultSettings, desktop: { startAtLogin: false } }, { ...emptyPolicy, desktopLocked: { startAtLogin: true } });
    expect(resolved.startAtLogin).toEqual({ value: true, source: 'admin-locked' });
  });
});
