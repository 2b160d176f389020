/**
 * Start at login, decided in plain Node so it can be tested: Windows and macOS register a login
 * item (Electron's app.setLoginItemSettings, applied by main); Linux desktops start what the XDG
 * autostart folder lists, so Burrow writes or removes its own entry there. Either way Burrow
 * opens hidden in the tray, told by AT_LOGIN_ARG (macOS tells it through wasOpenedAtLogin).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const AT_LOGIN_ARG = '--at-login';
export const AUTOSTART_FILE_NAME = 'burrow.desktop';

export type StartAtLoginPlan =
  | { kind: 'login-item'; openAtLogin: boolean; args: string[] }
  /** `content` null: no entry, so remove one left from before. */
  | { kind: 'xdg-autostart'; file: string; content: string | null };

export interface StartAtLoginFacts {
  enabled: boolean;
  platform: NodeJS.Platform;
  /** The program that started Burrow (process.execPath). */
  executable: string;
  env: NodeJS.ProcessEnv;
  homeDir: string;
}

export function startAtLoginPlan({ enabled, platform, executable, env, homeDir }: StartAtLoginFacts): StartAtLoginPlan {
  if (platform === 'win32' || platform === 'darwin') return { kind: 'login-item', openAtLogin: enabled, args: enabled ? [AT_LOGIN_ARG] : [] };
  // XDG: a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const configHome = env.XDG_CONFIG_HOME && path.isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : path.join(homeDir, '.config');
  // An AppImage runs from a temporary mount: the entry must start the AppImage itself.
  const program = env.APPIMAGE ?? executable;
  return { kind: 'xdg-autostart', file: path.join(configHome, 'autostart', AUTOSTART_FILE_NAME), content: enabled ? autostartEntry(program) : null };
}

/**
 * One argument of an Exec key: quoted, with the characters the Desktop Entry specification
 * reserves inside quotes escaped, then the string escapes of every value applied over that
 * (so a backslash is four), and `%` doubled so it is not read as a field code.
 */
export function execArgument(argument: string): string {
  if (/[\n\r\0]/.test(argument)) throw new Error(`An autostart entry cannot start a program whose path has a line break: ${JSON.stringify(argument)}`);
  const quoted = `"${argument.replace(/["`$\\]/g, (character) => `\\${character}`)}"`;
  return quoted.replace(/\\/g, '\\\\').replace(/%/g, '%%');
}

export function autostartEntry(program: string): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Burrow',
    'Comment=Burrow messenger, started in the tray at login',
    `Exec=${execArgument(program)} ${AT_LOGIN_ARG}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Writes the entry, or removes it when there should be none (none there is fine). */
export async function applyXdgAutostart(plan: Extract<StartAtLoginPlan, { kind: 'xdg-autostart' }>): Promise<void> {
  if (plan.content === null) {
    await rm(plan.file, { force: true });
    return;
  }
  await mkdir(path.dirname(plan.file), { recursive: true });
  await writeFile(plan.file, plan.content, { mode: 0o644 });
}
