import type { ProxySettings } from '../electron/core/connection/candidate.js';
import type { ConnectionMethod } from '../electron/core/connection/plan.js';
import type { Lab } from '../lab/lab.js';

/** What a driver connecting to the lab's server is told of where and how, N times over. */
export interface PathJob {
  runs: number;
  address: string;
  domain: string;
  method: ConnectionMethod;
  proxy?: ProxySettings;
  caFile: string;
}

/**
 * Runs a bench driver script inside the lab's client namespace with `job` as its one argument, and
 * returns the `runs` of the last line it prints (JSON); killed after `timeoutMs`.
 */
export function runDriverInClient<Run>(lab: Lab, script: string, job: unknown, timeoutMs: number): Promise<Run[]> {
  return new Promise((resolve, reject) => {
    const child = lab.spawnInClient(process.execPath, [script, JSON.stringify(job)]);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve((JSON.parse(line) as { runs: Run[] }).runs);
      } catch {
        reject(new Error(`the driver exited with ${code}: ${stderr.trim() || stdout.trim()}`));
      }
    });
  });
}
