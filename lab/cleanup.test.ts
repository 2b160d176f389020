import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { expect, it } from 'vitest';
import { startLab } from './lab.js';
import { runDirPrefix } from './leftovers.js';
import { listLabNamespaces, namespacePids } from './netns.js';
import { compiledLabScript } from './paths.js';
import { describeLabTests } from './testing.js';
import { namespaces } from './topology.js';

const runDirs = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith(runDirPrefix));

function nothingLeftBehind(): void {
  expect(listLabNamespaces(), 'namespaces').toEqual([]);
  expect(runDirs(), 'temp dirs').toEqual([]);
  expect(existsSync(`/etc/netns/${namespaces.corp}`) || existsSync(`/etc/netns/${namespaces.world}`), '/etc/netns files').toBe(false);
}

/** Starts `npm run lab`'s program and resolves once it says it is ready. */
function startCli(...args: string[]): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, [compiledLabScript('cli.js'), '--scenario', 'S5', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the lab CLI was not ready within 60 s:\n${output}`)), 60_000);
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('exit', (code) => reject(new Error(`the lab CLI exited with ${code}:\n${output}`)));
  });
}

/** Still running: killed processes whose parent is gone stay zombies until init reaps them, and those count as gone. */
const isRunning = (pid: number): boolean => {
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

const exitOf = (child: ChildProcess): Promise<number | null> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });

describeLabTests('starting and stopping the lab', () => {
  it('prints where everything listens, and stops cleanly on Ctrl+C', async () => {
    const { child, output } = await startCli();
    expect(output()).toContain('scenario S5');
    expect(output()).toMatch(/chat\.lab\.test\s+198\.18\.1\.10/);
    expect(output()).toContain('http://proxy.lab.test:3128');
    expect(output()).toContain('http://pac.lab.test/proxy.pac');
    expect(output()).toContain('alice@chat.lab.test');
    child.kill('SIGINT');
    expect(await exitOf(child)).toBe(130);
    expect(output()).toContain('lab stopped');
    nothingLeftBehind();
  });

  it('removes the leftovers of a killed run when it starts again, ejabberd’s Erlang VM included', async () => {
    const { child } = await startCli('--server', 'ejabberd');
    child.kill('SIGKILL');
    await exitOf(child);
    expect(listLabNamespaces().sort()).toEqual([namespaces.corp, namespaces.world]);
    const orphans = namespacePids(namespaces.world);
    expect(orphans.length, 'servers still running in world').toBeGreaterThan(0);

    const lab = await startLab();
    expect(runDirs()).toHaveLength(1);
    expect(orphans.filter(isRunning), 'processes of the killed run still running').toEqual([]);
    await lab.stop();
    nothingLeftBehind();
  });
});
