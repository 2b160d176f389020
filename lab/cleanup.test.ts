import { expect, it } from 'vitest';
import { exitOf, startCli } from './cli-process.js';
import { startLab } from './lab.js';
import { isRunning, labRemains, labRunDirs } from './leftovers.js';
import { listLabNamespaces, namespacePids } from './netns.js';
import { describeLabTests } from './testing.js';
import { namespaces } from './topology.js';

const nothingLeftBehind = (): void => expect(labRemains(), 'namespaces, /etc/netns files, temp dirs').toEqual([]);

/** Starts `npm run lab`'s program and resolves once it says it is ready. */
const startLabCli = (...args: string[]) => startCli('cli.js', ['--scenario', 'S5', ...args], 60_000);

describeLabTests('starting and stopping the lab', () => {
  it('prints where everything listens, and stops cleanly on Ctrl+C', async () => {
    const { child, output } = await startLabCli();
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
    const { child } = await startLabCli('--server', 'ejabberd');
    child.kill('SIGKILL');
    await exitOf(child);
    expect(listLabNamespaces().sort()).toEqual([namespaces.corp, namespaces.world]);
    const orphans = namespacePids(namespaces.world);
    expect(orphans.length, 'servers still running in world').toBeGreaterThan(0);

    const lab = await startLab();
    expect(labRunDirs()).toHaveLength(1);
    expect(orphans.filter(isRunning), 'processes of the killed run still running').toEqual([]);
    await lab.stop();
    nothingLeftBehind();
  });
});
