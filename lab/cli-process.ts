/** A lab program (`npm run lab`, `npm run demo`) run by a test as a user would: started, read until ready, stopped. */
import { spawn, type ChildProcess } from 'node:child_process';
import { compiledLabScript } from './paths.js';

/** What both of them print once everything is up. */
const readyLine = 'Press Ctrl+C to stop.';

export interface CliProcess {
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr. */
  output(): string;
}

/** Starts dist/lab/`script` and resolves once it says it is ready; rejects if it exits first or takes longer than `timeoutMs`. */
export function startCli(script: string, args: readonly string[], timeoutMs: number): Promise<CliProcess> {
  const child = spawn(process.execPath, [compiledLabScript(script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} was not ready within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes(readyLine)) {
        clearTimeout(timer);
        resolve({ child, output: () => output });
      }
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)));
  });
}

/** Its exit code, once it has exited (null when a signal ended it). */
export function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}
