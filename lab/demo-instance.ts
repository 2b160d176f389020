/**
 * One instance of Burrow for `npm run demo`: browser mode's host inside the lab's client
 * namespace, as a user behind that network would run it, and reachable from the machine's own
 * browser at 127.0.0.1:PORT through a loopback bridge (loopback-bridge.ts).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { NamespaceProcess } from './namespace-process.js';
import { compiledLabScript, repoRoot } from './paths.js';
import { forwardConnections } from './loopback-bridge.js';
import { waitUntil } from './run.js';
import { namespaces } from './topology.js';

const startTimeoutMs = 15_000;
const hostMain = join(repoRoot, 'dist', 'electron', 'host', 'main.js');

/**
 * Starts an instance named `name`, keeping its data folder, socket and log in `dir`. Resolves to
 * the address to open, with this run's secret, as browser mode prints it.
 */
export async function startDemoInstance(name: string, dir: string): Promise<string> {
  const dataDir = join(dir, name);
  const socketPath = join(dir, `${name}.sock`);
  const logFile = join(dir, `${name}.log`);
  mkdirSync(dataDir, { recursive: true });
  const bridge = await forwardConnections({ host: '127.0.0.1', port: 0 }, { path: socketPath });
  // The host listens on the same port inside the namespace: the address it prints, and the Host
  // and Origin its access gate admits, are then exactly what the browser outside uses.
  const { port } = bridge.address() as AddressInfo;
  const host = NamespaceProcess.start(namespaces.corp, process.execPath, [hostMain, '--port', String(port), '--data-dir', dataDir], logFile);
  const agent = NamespaceProcess.start(namespaces.corp, process.execPath, [compiledLabScript('loopback-bridge-agent.js'), socketPath, String(port)], logFile);
  let entryUrl = '';
  await waitUntil(
    `${name}'s Burrow to start (log: ${logFile})`,
    () => {
      const stopped = [host, agent].find((child) => !child.running);
      if (stopped) throw new Error(`${name}'s ${stopped === host ? 'Burrow' : 'bridge'} stopped while starting:\n${readFileSync(logFile, 'utf8')}`);
      entryUrl ||= /running in browser mode at (\S+)/.exec(readFileSync(logFile, 'utf8'))?.[1] ?? '';
      return entryUrl !== '' && existsSync(socketPath);
    },
    startTimeoutMs,
  );
  return entryUrl;
}
