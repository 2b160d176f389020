import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listLabNamespaces, removeLabNamespaces } from './netns.js';
import { namespaces } from './topology.js';

/** Every lab run keeps its files in a temp dir with this prefix and its owner's pid inside. */
export const runDirPrefix = 'burrow-lab-';
const ownerFile = 'owner.pid';

/** Whether a process runs: one killed whose parent is gone stays a zombie until init reaps it, and counts as gone. */
export function isRunning(pid: number): boolean {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** Every lab run's temp dir, as a path. */
export function labRunDirs(): string[] {
  return readdirSync(tmpdir())
    .filter((name) => name.startsWith(runDirPrefix))
    .map((name) => join(tmpdir(), name));
}

/** What lab runs left on the machine: namespaces, their /etc/netns files, temp dirs. Empty when nothing. */
export function labRemains(): string[] {
  const etcFiles = Object.values(namespaces).map((name) => `/etc/netns/${name}`).filter((path) => existsSync(path));
  return [...listLabNamespaces().map((name) => `namespace ${name}`), ...etcFiles, ...labRunDirs()];
}

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
  const runDirs = labRunDirs();
  for (const dir of runDirs) {
    const owner = ownerOf(dir);
    if (owner !== undefined && owner !== process.pid && isRunning(owner)) {
      throw new Error(`another lab is running (process ${owner}, files in ${dir}); stop it first`);
    }
  }
  removeLabNamespaces();
  for (const dir of runDirs) rmSync(dir, { recursive: true, force: true });
}
