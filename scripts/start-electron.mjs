// `npm start`: runs Burrow in Electron. The electron package fetches its binary on first
// use; where that is impossible (offline machines), say so once and point to browser mode.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const binary = require('electron');
    return existsSync(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

function downloadElectron() {
  const installer = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
  const result = spawnSync(process.execPath, [installer], { cwd: projectRoot, stdio: 'pipe', timeout: 180_000 });
  return result.status === 0;
}

let binary = electronBinary();
if (!binary && downloadElectron()) binary = electronBinary();
if (!binary) {
  console.error(
    'Burrow cannot start in Electron: the Electron binary is not installed and could not be downloaded (no internet access?). ' +
      'Run `npm run start:browser` to use Burrow in your browser instead.',
  );
  process.exit(1);
}

const child = spawn(binary, [projectRoot], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
