/** Starts browser mode's host process (the core, serving the UI and the contract), for the e2e specs and the scale bench. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createInterface } from 'node:readline';

import { repoRoot } from './paths.js';

type Spawn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess;

export interface BrowserModeHostOptions {
  /** An administrator policy file, passed to the host with `--policy`. */
  policyFile?: string | undefined;
  /** How to start the host process, e.g. inside the network lab's client namespace. */
  spawnHost?: Spawn;
}

/**
 * Starts the host and reads the address it prints. That address carries the launch's secret;
 * the first page load trades it for a cookie in the browser context, which then carries it to
 * every page, popup and WebSocket of that context (the host refuses anything without it).
 */
export async function startBrowserModeHost(dataDir: string, { policyFile, spawnHost = spawn }: BrowserModeHostOptions = {}): Promise<{ child: ChildProcess; entryUrl: string }> {
  const policyArgs = policyFile === undefined ? [] : ['--policy', policyFile];
  const child = spawnHost(process.execPath, ['dist/electron/host/main.js', '--port', '0', '--data-dir', dataDir, ...policyArgs], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const entryUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('Browser-mode host did not start within 15 s')), 15_000);
    child.once('exit', (code) => reject(new Error(`Browser-mode host exited early with code ${code}; did \`npm run build\` run?`)));
    lines.on('line', (line) => {
      const match = /running in browser mode at (\S+)/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return { child, entryUrl };
}
