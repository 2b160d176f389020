/**
 * An append-only file of JSON lines, each on disk (fsync'd) before `append` resolves. A crash can
 * tear only the last line; reading hands lines that do not parse or do not fit the schema to
 * `onDamagedLine`, never dropping them unseen. `rewrite` replaces the whole file atomically
 * (temporary file, fsync, rename, fsync of the folder), to compact it; `remove` deletes it.
 */
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';

/** How a store tells the user of a fault in its files: the notice board, in the app. */
export type ReportFault = (level: 'info' | 'warning' | 'error', message: string) => void;
export const reportFaultToConsole: ReportFault = (level, message) => console.error(`Burrow (${level}): ${message}`);

/** The start of a long text, for a notice. */
export function excerpt(text: string, length = 200): string {
  return text.length > length ? `${text.slice(0, length)}…` : text;
}

export class Journal<Entry> {
  private handle: FileHandle | null = null;
  /** Appends and rewrites run one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * Entries appended while an earlier write is on its way to the disk: they go together in the next
   * write and its one sync (group commit), so a burst of messages costs a few syncs, not one each.
   */
  private nextAppend: { entries: Entry[]; written: Promise<void> } | null = null;

  constructor(
    readonly file: string,
    private readonly schema: z.ZodType<Entry>,
    private readonly onDamagedLine: (line: string) => void = (line) => reportFaultToConsole('warning', `skipped a damaged line of ${file}: ${excerpt(line)}`),
  ) {}

  async read(): Promise<Entry[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text.split('\n').flatMap((line) => {
      if (!line.trim()) return [];
      const parsed = this.schema.safeParse(parseJson(line));
      if (parsed.success) return [parsed.data];
      this.onDamagedLine(line);
      return [];
    });
  }

  /** Resolves once the entries are on disk, in call order with every other append and rewrite. */
  append(...entries: Entry[]): Promise<void> {
    if (this.nextAppend) {
      this.nextAppend.entries.push(...entries);
      return this.nextAppend.written;
    }
    const batch = { entries: [...entries], written: Promise.resolve() };
    batch.written = this.serially(async () => {
      if (this.nextAppend === batch) this.nextAppend = null;
      this.handle ??= await this.openForAppend();
      // A torn line from a crash has no newline; starting each write with one keeps it from swallowing ours.
      await this.handle.write(`\n${batch.entries.map((entry) => JSON.stringify(entry)).join('\n')}`);
      await this.handle.datasync();
    });
    this.nextAppend = batch;
    return batch.written;
  }

  rewrite(entries: Entry[]): Promise<void> {
    return this.serially(async () => {
      await this.closeHandle();
      await mkdir(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      const handle = await open(temporary, 'w');
      try {
        await handle.write(entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, this.file);
      await syncFolder(path.dirname(this.file));
    });
  }

  close(): Promise<void> {
    return this.serially(() => this.closeHandle());
  }

  /** Closes the file and deletes it. */
  remove(): Promise<void> {
    return this.serially(async () => {
      await this.closeHandle();
      await rm(this.file, { force: true });
    });
  }

  private async openForAppend(): Promise<FileHandle> {
    await mkdir(path.dirname(this.file), { recursive: true });
    const handle = await open(this.file, 'a');
    // A new file's name must reach the disk as well as its contents.
    await syncFolder(path.dirname(this.file));
    return handle;
  }

  private async closeHandle(): Promise<void> {
    await this.handle?.close();
    this.handle = null;
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    // Whatever is called after this (a rewrite, a close) comes after it on disk: a later append must not join an earlier batch.
    this.nextAppend = null;
    const run = this.queue.then(task);
    this.queue = run.catch(() => {});
    return run;
  }
}

async function syncFolder(folder: string): Promise<void> {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
