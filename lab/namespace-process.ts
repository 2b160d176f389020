import { closeSync, openSync } from 'node:fs';
import { spawnIn } from './netns.js';
import { sleep } from './run.js';

/** A daemon the lab runs in the foreground inside a namespace, output appended to a log file. */
export class NamespaceProcess {
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  private constructor(
    readonly name: string,
    private readonly pid: number,
    exited: Promise<number | null>,
  ) {
    this.exited = exited.then((code) => (this.exitCode = code));
  }

  /** `env` adds to this process's environment (Kerberos programs find their files through it). */
  static start(namespace: string, command: string, args: readonly string[], logFile: string, env: Record<string, string> = {}): NamespaceProcess {
    const log = openSync(logFile, 'a');
    const child = spawnIn(namespace, command, args, { stdio: ['ignore', log, log], env: { ...process.env, ...env } });
    closeSync(log);
    if (child.pid === undefined) throw new Error(`could not start ${command} in ${namespace}`);
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.once('error', () => resolve(-1));
    });
    return new NamespaceProcess(command, child.pid, exited);
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** SIGTERM to the whole process group, SIGKILL after `graceMs`. */
  async stop(graceMs = 2000): Promise<void> {
    if (!this.running) return;
    this.signal('SIGTERM');
    if (await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)])) return;
    this.signal('SIGKILL');
    await Promise.race([this.exited, sleep(2000)]);
  }

  private signal(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.pid, signal);
    } catch {
      // the group is already gone
    }
  }
}
