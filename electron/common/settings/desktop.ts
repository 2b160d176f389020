/**
 * How Burrow lives on the desktop: closing the window to the tray, starting at login, and going
 * away when the user is idle. Stored as overrides like the connection settings, resolved with
 * their sources, and lockable by an administrator. No Node imports: the renderer shares them.
 */
import { z } from 'zod';

const awayMessage = 'must be a whole number of minutes from 0 (never) to 720';

export const DesktopSettings = z.strictObject({
  /** Windows and Linux: closing the chat window hides Burrow to the tray (macOS keeps its own convention). */
  closeToTray: z.boolean(),
  /** Open Burrow, hidden in the tray, when the user logs in. */
  startAtLogin: z.boolean(),
  /** Show the user as away after this many idle minutes; 0 never does. */
  awayAfterMinutes: z.int({ error: awayMessage }).min(0, { error: awayMessage }).max(720, { error: awayMessage }),
});
export type DesktopSettings = z.infer<typeof DesktopSettings>;
export type DesktopKey = keyof DesktopSettings;

/** Desktop values one layer sets (user, administrator); absent means "inherit". */
export const DesktopOverrides = DesktopSettings.partial();
export type DesktopOverrides = z.infer<typeof DesktopOverrides>;

export const builtInDesktopSettings: DesktopSettings = { closeToTray: true, startAtLogin: false, awayAfterMinutes: 10 };

export const desktopKeys = Object.keys(builtInDesktopSettings) as readonly DesktopKey[];
