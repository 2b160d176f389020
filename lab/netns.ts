import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { run, runSync, sleepSync, type CommandResult } from './run.js';
import { link, namespaces } from './topology.js';

const labNamespaces: readonly string[] = Object.values(namespaces);

/** The lab's namespaces that exist now (names only the lab uses; others' namespaces are left alone). */
export function listLabNamespaces(): string[] {
  return runSync('ip', ['netns', 'list'])
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => labNamespaces.includes(name));
}

export function namespacePids(name: string): number[] {
  try {
    return runSync('ip', ['netns', 'pids', name]).split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * Kills every process inside the namespace, waits (bounded) until they are gone, then deletes
 * the namespace and its /etc/netns files. Synchronous so that exit handlers can use it.
 */
export function removeNamespace(name: string): void {
  for (let attempt = 0; attempt < 40; attempt++) {
    const pids = namespacePids(name);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    sleepSync(50);
  }
  try {
    runSync('ip', ['netns', 'delete', name]);
  } catch {
    // already deleted
  }
  rmSync(`/etc/netns/${name}`, { recursive: true, force: true });
}

export function removeLabNamespaces(): void {
  for (const name of listLabNamespaces()) removeNamespace(name);
}

/** Creates corp and world joined by a veth pair; corp's only route leads into world. */
export function createNamespaces(worldAddresses: readonly string[]): void {
  const { corp, world } = namespaces;
  runSync('ip', ['netns', 'add', corp]);
  runSync('ip', ['netns', 'add', world]);
  runSync('ip', ['link', 'add', link.corpInterface, 'netns', corp, 'type', 'veth', 'peer', 'name', link.worldInterface, 'netns', world]);
  batch(corp, [
    `addr add ${link.corpAddress}/${link.prefixLength} dev ${link.corpInterface}`,
    'link set lo up',
    `link set ${link.corpInterface} up`,
    `route add default via ${link.worldAddress}`,
  ]);
  batch(world, [
    `addr add ${link.worldAddress}/${link.prefixLength} dev ${link.worldInterface}`,
    ...worldAddresses.map((address) => `addr add ${address}/32 dev lo`),
    'link set lo up',
    `link set ${link.worldInterface} up`,
  ]);
}

function batch(namespace: string, commands: readonly string[]): void {
  runSync('ip', ['-n', namespace, '-batch', '-'], commands.join('\n') + '\n');
}

/** `ip netns exec` bind-mounts these over /etc/hosts and /etc/resolv.conf inside the namespace. */
export function writeNamespaceEtc(name: string, hosts: Record<string, string>): void {
  const dir = `/etc/netns/${name}`;
  mkdirSync(dir, { recursive: true });
  const lines = ['127.0.0.1 localhost', ...Object.entries(hosts).map(([host, address]) => `${address} ${host}`)];
  writeFileSync(`${dir}/hosts`, lines.join('\n') + '\n');
  // Keeps name lookups inside the lab: nothing answers there unless the lab runs a resolver.
  writeFileSync(`${dir}/resolv.conf`, `nameserver ${link.worldAddress}\noptions timeout:1 attempts:1\n`);
}

/** Starts a process inside a namespace in its own process group, so it can be killed as a whole. */
export function spawnIn(name: string, command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return spawn('ip', ['netns', 'exec', name, command, ...args], { stdio: 'ignore', detached: true, ...options });
}

export function execIn(name: string, command: string, args: readonly string[], timeoutMs?: number, input?: string): Promise<CommandResult> {
  return run('ip', ['netns', 'exec', name, command, ...args], timeoutMs, input);
}

/** Sockets listening inside a namespace, as "address:port". */
export async function listeningSockets(name: string): Promise<Set<string>> {
  const result = await execIn(name, 'ss', ['-ltnH']);
  return new Set(result.stdout.split('\n').map((line) => line.split(/\s+/)[3] ?? '').filter(Boolean));
}
