import { execFile, execFileSync } from 'node:child_process';
import { errorWords } from '../electron/contract/error-words.js';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion and throws, with its output, when it fails. */
export function runSync(command: string, args: readonly string[], input?: string): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 });
  } catch (error) {
    const failure = error as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${command} ${args.join(' ')} failed: ${failure.stderr || failure.stdout || errorWords(error)}`.trim());
  }
}

/** Runs a command and returns its exit code and output, never throwing on a non-zero exit. */
export function run(command: string, args: readonly string[], timeoutMs = 30_000, input?: string): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (error ? error.message : '') });
    });
    child.stdin?.end(input);
  });
}

export async function runOrThrow(command: string, args: readonly string[], timeoutMs?: number, input?: string): Promise<string> {
  const result = await run(command, args, timeoutMs, input);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.code}): ${[result.stdout, result.stderr].filter(Boolean).join('\n')}`.trim());
  return result.stdout;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Blocks the thread; only for the synchronous teardown that must also run from an exit handler. */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Polls `check` until it returns true, at most `timeoutMs`, then throws naming `what`. */
export async function waitUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
