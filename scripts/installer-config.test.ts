/**
 * electron-builder.yml, loaded and validated by electron-builder itself. Real installers cannot be
 * built here (no Electron binary, and the MSI needs WiX on Windows), so this checks what they are
 * made from: the targets, and the MSI's options for enterprise deployment.
 */
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const projectRoot = path.resolve(import.meta.dirname, '..');
const loadConfig = async () => {
  const config = await getConfig(projectRoot, null, null);
  await validateConfiguration(config, new DebugLogger(false));
  return config;
};

describe('the installers electron-builder makes', () => {
  it('are AppImage and deb on Linux, NSIS and MSI on Windows, dmg (and the zip macOS updates from) on macOS', async () => {
    const config = await loadConfig();
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.win?.target).toEqual(['nsis', 'msi']);
    expect(config.mac?.target).toEqual(['dmg', 'zip']);
  });

  it('make an MSI that installs per machine, keeps its upgrade code from version to version, and does not start Burrow as the installing account', async () => {
    const { msi } = await loadConfig();
    expect(msi).toMatchObject({ perMachine: true, upgradeCode: 'FF491511-08E6-5F4B-AC73-88A8035872B4', runAfterFinish: false });
  });

  it('make an NSIS installer that offers per machine (/allusers) as well as per user', async () => {
    expect((await loadConfig()).nsis).toMatchObject({ oneClick: false, perMachine: false });
  });

  it('ship the administrator policy dist.mjs staged, in every format', async () => {
    expect((await loadConfig()).extraResources).toMatchObject([{ from: 'build/policy', filter: ['policy.json'] }]);
  });

  it('would refuse a misspelt option: the validation is real', async () => {
    const config = await getConfig(projectRoot, null, { msi: { perMachin: true } as never });
    await expect(validateConfiguration(config, new DebugLogger(false))).rejects.toThrow(/configuration\.msi/);
  });
});
