import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyXdgAutostart, AT_LOGIN_ARG, autostartEntry, execArgument, startAtLoginPlan } from './start-at-login.js';

const facts = { enabled: true, platform: 'linux' as NodeJS.Platform, executable: '/opt/Burrow/burrow', env: {}, homeDir: '/home/alice' };

describe('start at login: what to do', () => {
  it('registers a login item that opens Burrow hidden on Windows and macOS, and removes it when turned off', () => {
    expect(startAtLoginPlan({ ...facts, platform: 'win32' })).toEqual({ kind: 'login-item', openAtLogin: true, args: [AT_LOGIN_ARG] });
    expect(startAtLoginPlan({ ...facts, platform: 'darwin', enabled: false })).toEqual({ kind: 'login-item', openAtLogin: false, args: [] });
  });

  it('writes an XDG autostart entry in ~/.config/autostart on Linux that starts Burrow hidden', () => {
    const plan = startAtLoginPlan(facts);
    expect(plan).toEqual({ kind: 'xdg-autostart', file: '/home/alice/.config/autostart/burrow.desktop', content: autostartEntry('/opt/Burrow/burrow') });
    expect(autostartEntry('/opt/Burrow/burrow')).toBe(
      '[Desktop Entry]\nType=Application\nName=Burrow\nComment=Burrow messenger, started in the tray at login\nExec="/opt/Burrow/burrow" --at-login\nTerminal=false\nX-GNOME-Autostart-enabled=true\n',
    );
  });

  it('removes the entry when turned off', () => {
    expect(startAtLoginPlan({ ...facts, enabled: false })).toMatchObject({ kind: 'xdg-autostart', content: null });
  });

  it('follows XDG_CONFIG_HOME when it is an absolute path, and ignores a relative one as the specification says', () => {
    expect(startAtLoginPlan({ ...facts, env: { XDG_CONFIG_HOME: '/srv/config' } })).toMatchObject({ file: '/srv/config/autostart/burrow.desktop' });
    expect(startAtLoginPlan({ ...facts, env: { XDG_CONFIG_HOME: 'config' } })).toMatchObject({ file: '/home/alice/.config/autostart/burrow.desktop' });
  });

  it('starts the AppImage itself, not the program inside its temporary mount', () => {
    const plan = startAtLoginPlan({ ...facts, executable: '/tmp/.mount_BurrowX1/burrow', env: { APPIMAGE: '/home/alice/Apps/Burrow.AppImage' } });
    expect(plan).toMatchObject({ content: expect.stringContaining('Exec="/home/alice/Apps/Burrow.AppImage" --at-login') });
  });

  it('quotes a program path with spaces, quotes, dollars, backslashes and percent signs as the Desktop Entry specification says', () => {
    expect(execArgument('/opt/My Apps/burrow')).toBe('"/opt/My Apps/burrow"');
    expect(execArgument('/opt/a"b$c`d/burrow')).toBe('"/opt/a\\\\"b\\\\$c\\\\`d/burrow"');
    expect(execArgument('/opt/back\\slash/100%/burrow')).toBe('"/opt/back\\\\\\\\slash/100%%/burrow"');
  });

  it('refuses a program path with a line break, which would end the Exec line', () => {
    expect(() => autostartEntry('/opt/burrow\nX-Evil=1')).toThrow(/line break/);
  });
});

describe('start at login: the XDG autostart file', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(path.join(tmpdir(), 'burrow-autostart-'));
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  it('is written, folder and all, and removed again; removing one that is not there is fine', async () => {
    const on = startAtLoginPlan({ ...facts, homeDir: home });
    if (on.kind !== 'xdg-autostart') throw new Error('expected an XDG plan');
    await applyXdgAutostart(on);
    expect(await readFile(on.file, 'utf8')).toBe(on.content);
    expect((await stat(on.file)).mode & 0o777).toBe(0o644);

    const off = startAtLoginPlan({ ...facts, homeDir: home, enabled: false });
    if (off.kind !== 'xdg-autostart') throw new Error('expected an XDG plan');
    await applyXdgAutostart(off);
    await expect(stat(off.file)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(applyXdgAutostart(off)).resolves.toBeUndefined();
  });
});
