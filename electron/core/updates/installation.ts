/**
 * How this copy of Burrow was installed, as far as its updater cares: electron-updater replaces an
 * NSIS install, an AppImage and a macOS app; an MSI, a deb or rpm, or an unpacked copy belongs to
 * whoever deployed it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';

export type InstallKind =
  /** Windows, by the NSIS installer. */
  | 'nsis'
  /** Windows, by the MSI, or an unpacked copy: neither has the NSIS uninstaller. */
  | 'windows-other'
  | 'appimage'
  /** A deb or rpm: the package manager updates it. */
  | 'linux-package'
  /** An unpacked copy (tar.gz, linux-unpacked). */
  | 'linux-other'
  | 'macos';

export interface Installation {
  kind: InstallKind;
  /** Whether the build says where updates are published (electron-builder's `app-update.yml`). */
  hasUpdateFeed: boolean;
}

export interface InstallationPlace {
  platform: NodeJS.Platform;
  /** `process.resourcesPath` */
  resourcesDir: string;
  /** `process.execPath` */
  executable: string;
  productName: string;
  env: NodeJS.ProcessEnv;
}

export function detectInstallation(place: InstallationPlace): Installation {
  return { kind: installKind(place), hasUpdateFeed: existsSync(path.join(place.resourcesDir, 'app-update.yml')) };
}

function installKind({ platform, resourcesDir, executable, productName, env }: InstallationPlace): InstallKind {
  if (platform === 'darwin') return 'macos';
  if (platform === 'win32') {
    const nsisUninstaller = path.join(path.dirname(executable), `Uninstall ${productName}.exe`);
    return existsSync(nsisUninstaller) ? 'nsis' : 'windows-other';
  }
  if (env.APPIMAGE) return 'appimage';
  // electron-builder's deb and rpm targets leave this file in the resources.
  return existsSync(path.join(resourcesDir, 'package-type')) ? 'linux-package' : 'linux-other';
}
