import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository root, whether this module runs from `lab/` (vitest) or from `dist/lab/` (node). */
export const repoRoot = here.endsWith(`${sep}dist${sep}lab`) ? join(here, '..', '..') : join(here, '..');

/** Path of a compiled lab script that runs as its own process inside a namespace. */
export function compiledLabScript(name: string): string {
  const path = join(repoRoot, 'dist', 'lab', name);
  if (!existsSync(path)) throw new Error(`${path} is missing: run "npm run build:node" first`);
  return path;
}

export const installScript = join(repoRoot, 'lab', 'install-packages.sh');
