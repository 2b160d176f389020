/** The registry as Windows' own `reg.exe` exports it: no native module to build or ship. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PolicyError } from '../policy.js';
import { parseRegExport } from './reg-file.js';
import type { RegistrySource } from './registry.js';

/** Runs reg.exe with these arguments and gives its standard output; rejects when it exits with an error. */
export type RunRegExe = (args: string[]) => Promise<string>;

export function regExeSource(run: RunRegExe = runSystemRegExe): RegistrySource {
  return {
    async readTree(keyPath) {
      const folder = await mkdtemp(path.join(tmpdir(), 'burrow-registry-'));
      const exported = path.join(folder, 'policy.reg');
      try {
        await run(['export', keyPath, exported, '/y']);
      } catch (error) {
        await rm(folder, { recursive: true, force: true });
        // reg.exe fails the same way, in the user's language, for a missing key and for a real failure.
        if (!(await subkeyExists(run, keyPath))) return undefined;
        throw new PolicyError(keyPath, [{ path: '', message: `cannot be read: ${(error as Error).message}` }]);
      }
      try {
        return parseRegExport(await readFile(exported, 'utf16le'));
      } catch (error) {
        throw new PolicyError(keyPath, [{ path: '', message: (error as Error).message }]);
      } finally {
        await rm(folder, { recursive: true, force: true });
      }
    },
  };
}

/** Whether `reg query PARENT` lists the key among its subkeys. */
async function subkeyExists(run: RunRegExe, keyPath: string): Promise<boolean> {
  const listing = await run(['query', keyPath.slice(0, keyPath.lastIndexOf('\\'))]).catch(() => '');
  return listing.split(/\r?\n/).some((line) => line.trim().toLowerCase() === keyPath.toLowerCase());
}

async function runSystemRegExe(args: string[]): Promise<string> {
  // By its full path: a reg.exe found on PATH could be anyone's.
  const regExe = path.win32.join(process.env.SystemRoot ?? 'C:\\Windows', 'System32', 'reg.exe');
  const { stdout } = await promisify(execFile)(regExe, args, { windowsHide: true, timeout: 10_000 });
  return stdout;
}
