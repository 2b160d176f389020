import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectInstallation, type InstallationPlace } from './installation.js';

let installDir: string;
let place: InstallationPlace;
beforeEach(async () => {
  installDir = await mkdtemp(path.join(tmpdir(), 'burrow-install-'));
  await mkdir(path.join(installDir, 'resources'));
  place = { platform: 'linux', resourcesDir: path.join(installDir, 'resources'), executable: path.join(installDir, 'burrow'), productName: 'Burrow', env: {} };
});
afterEach(() => rm(installDir, { recursive: true, force: true }));

const installed = (file: string) => writeFile(path.join(installDir, file), '');

describe('how Burrow was installed', () => {
  it('on Windows, by NSIS when its uninstaller sits beside Burrow.exe, and otherwise by the MSI or unpacked', async () => {
    const windows = { ...place, platform: 'win32' as const, executable: path.join(installDir, 'Burrow.exe') };
    expect(detectInstallation(windows).kind).toBe('windows-other');
    await installed('Uninstall Burrow.exe');
    expect(detectInstallation(windows).kind).toBe('nsis');
  });

  it('on Linux, as an AppImage when run from one, from a package when the deb or rpm marked its resources, and otherwise unpacked', async () => {
    expect(detectInstallation(place).kind).toBe('linux-other');
    await installed('resources/package-type');
    expect(detectInstallation(place).kind).toBe('linux-package');
    expect(detectInstallation({ ...place, env: { APPIMAGE: '/home/ada/Applications/Burrow.AppImage' } }).kind).toBe('appimage');
  });

  it('on macOS, as an app', () => {
    expect(detectInstallation({ ...place, platform: 'darwin' }).kind).toBe('macos');
  });

  it('has an update feed only when the build wrote app-update.yml into its resources', async () => {
    expect(detectInstallation(place).hasUpdateFeed).toBe(false);
    await installed('resources/app-update.yml');
    expect(detectInstallation(place).hasUpdateFeed).toBe(true);
  });
});
