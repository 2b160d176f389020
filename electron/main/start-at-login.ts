/** Applies core's start-at-login plan: a login item (Windows, macOS) or the XDG autostart entry (Linux). */
import os from 'node:os';
import { app } from 'electron';
import { applyXdgAutostart, AT_LOGIN_ARG, startAtLoginPlan } from '../core/desktop/start-at-login.js';

/** Whether this start came from the login item or autostart entry: then Burrow opens hidden in the tray. */
export function openedAtLogin(): boolean {
  return process.argv.includes(AT_LOGIN_ARG) || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
}

/**
 * Only a packaged Burrow registers itself: in development the executable is Electron's, which
 * would start without Burrow at the next login.
 */
export async function applyStartAtLogin(enabled: boolean): Promise<void> {
  if (!app.isPackaged) return;
  const plan = startAtLoginPlan({ enabled, platform: process.platform, executable: process.execPath, env: process.env, homeDir: os.homedir() });
  if (plan.kind === 'login-item') app.setLoginItemSettings({ openAtLogin: plan.openAtLogin, args: plan.args });
  else await applyXdgAutostart(plan);
}
