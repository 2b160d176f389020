import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeLabNamespaces } from './netns.js';

/** Every lab run keeps its files in a temp dir with this prefix and its owner's pid inside. */
export const runDirPrefix = 'burrow-lab-';
const ownerFile = 'owner.pid';

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export function markOwner(runDir: string): void {
  writeFileSync(join(runDir, ownerFile), String(process.pid));
}

function ownerOf(runDir: string): number | undefined {
  const file = join(runDir, ownerFile);
  return existsSync(file) ? Number(readFileSync(file, 'utf8')) : undefined;
}

/**
 * Removes what an earlier, failed or killed run left behind: its namespaces (with every process
 * inside them), /etc/netns files and temp dirs. Refuses when that run's owner is still alive.
 */
export function removeLeftovers(): void {
  const runDirs = readdirSync(tmpdir())
    .filter((name) => name.startsWith(runDirPrefix))
    .map((name) => join(tmpdir(), name));
  for (const dir of runDirs) {
    const owner = ownerOf(dir);
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) {
      throw new Error(`another lab is running (process ${owner}, files in ${dir}); stop it first`);
    }
  }
  removeLabNamespaces();
  for (const dir of runDirs) rmSync(dir, { recursive: true, force: true });
}
