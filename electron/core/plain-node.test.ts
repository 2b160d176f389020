import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const projectRoot = path.resolve(import.meta.dirname, '../..');
const compiledCore = path.join(projectRoot, 'dist/electron/core/index.js');
const compiledSettings = path.join(projectRoot, 'dist/electron/core/settings/index.js');

describe('the compiled core', () => {
  it('loads and runs in plain Node, without Electron', () => {
    expect(existsSync(compiledCore), 'run `npm run build:node` first').toBe(true);
    const script = `
      const { createCore } = await import(${JSON.stringify(compiledCore)});
      const { MemorySecretStore } = await import(${JSON.stringify(compiledSettings)});
      const core = await createCore({ dataDir: process.argv[1], mode: 'browser', version: '0.0.0', secrets: new MemorySecretStore() });
      console.log(JSON.stringify({ info: core.info, electron: process.versions.electron ?? null }));`;
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'burrow-plain-node-'));
    try {
      const output = execFileSync(process.execPath, ['--input-type=module', '-e', script, dataDir], { encoding: 'utf8' });
      expect(JSON.parse(output)).toMatchObject({ info: { name: 'Burrow', dataDir }, electron: null });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
