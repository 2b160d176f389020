/**
 * An account's history database: SQLite compiled to WebAssembly (node-sqlite3-wasm), a file in the
 * account's folder, the same in Electron and plain Node. Its calls are synchronous, so a change
 * made in one call is never interleaved with another's. A file SQLite cannot read is moved aside,
 * with a notice, and a fresh one started: the app keeps working and nothing is deleted.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import type * as sqlite from 'node-sqlite3-wasm';
import type { Database as SqliteDatabase, SQLiteValue, Statement } from 'node-sqlite3-wasm';

import type { ReportFault } from './journal.js';
import { migrations } from './history-schema.js';

// A CommonJS module whose classes ESM's import sees only as a default export.
const { Database } = createRequire(import.meta.url)('node-sqlite3-wasm') as typeof sqlite;

export type Row = Record<string, SQLiteValue>;
export type Values = Record<string, SQLiteValue | boolean>;

/** What SQLite says of a file that is not (or no longer) a database it can read. */
const unreadable = /file is not a database|database disk image is malformed|malformed database schema/i;

/** Files open in this process: the lock is held for a connection's life, so a second connection to one would see stale pages. */
const openFiles = new Set<string>();

interface PendingWrite {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class HistoryDatabase {
  private readonly statements = new Map<string, Statement>();
  /** Writes asked for since the last commit, to go in the next one. */
  private pendingWrites: PendingWrite[] = [];

  private constructor(
    private readonly db: SqliteDatabase,
    readonly file: string,
  ) {}

  static open(file: string, reportFault: ReportFault): HistoryDatabase {
    file = path.resolve(file);
    if (openFiles.has(file)) throw new Error(`the history ${file} is open already`);
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      return HistoryDatabase.openReadable(file);
    } catch (error) {
      if (!unreadable.test((error as Error).message)) throw error;
      const aside = `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(file, aside);
      for (const companion of ['-journal', '-wal']) moveIfThere(`${file}${companion}`, `${aside}${companion}`);
      reportFault(
        'error',
        `Burrow could not read your message history (${(error as Error).message}) and started a new one. The old file was kept as ${aside}.`,
      );
      return HistoryDatabase.openReadable(file);
    }
  }

  private static openReadable(file: string): HistoryDatabase {
    takeOwnership(file);
    const db = new Database(file);
    try {
      // The lock held for the connection's life spares a lock folder made and removed, and the cache
      // checked again, per statement; and it lets SQLite keep a write-ahead log without the shared
      // memory this VFS lacks, so it comes before anything reads the file. With FULL, a commit is on
      // disk when it returns: one sync of the log, where a rollback journal takes three or four.
      // auto_vacuum is set before the first table exists, so the file can give back the pages it
      // frees (compaction by design).
      db.exec(
        'PRAGMA locking_mode = EXCLUSIVE; PRAGMA auto_vacuum = INCREMENTAL; PRAGMA journal_mode = WAL; PRAGMA journal_size_limit = 1048576; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON',
      );
      // The rollback journal of a history written before the log: rolled back already if it held anything.
      rmSync(`${file}-journal`, { force: true });
      migrate(db);
      openFiles.add(file);
      return new HistoryDatabase(db, file);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  get version(): number {
    return Number(this.db.get('PRAGMA user_version')?.['user_version'] ?? 0);
  }

  all(sql: string, values?: Values): Row[] {
    return this.withStatement(sql, (statement) => statement.all(values) as Row[]);
  }

  /** The first row; the statement runs to its end, so that no cached statement is left half-way (its queries ask for one row). */
  get(sql: string, values?: Values): Row | undefined {
    return this.all(sql, values)[0];
  }

  run(sql: string, values?: Values): { changes: number; lastInsertRowid: number } {
    const { changes, lastInsertRowid } = this.withStatement(sql, (statement) => statement.run(values));
    return { changes, lastInsertRowid: Number(lastInsertRowid) };
  }

  /**
   * The store's statements are few and fixed: each is prepared once, not on every call. One that
   * failed (a constraint) cannot be reset for another run, so it is prepared again next time.
   */
  private withStatement<T>(sql: string, use: (statement: Statement) => T): T {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    try {
      return use(statement);
    } catch (error) {
      this.statements.delete(sql);
      statement.finalize();
      throw error;
    }
  }

  /** Runs `work` in one transaction: all of it is on disk when this returns, or none of it. */
  transaction<T>(work: () => T): T {
    if (this.db.inTransaction) return work();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /**
   * Runs `work` in the transaction that commits the writes asked for in this turn of the event loop
   * (group commit): a burst of messages costs one sync to disk, not one each. The writes run in call
   * order, each all or nothing; the promise settles once the commit is on disk.
   */
  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.pendingWrites.length === 0) setImmediate(() => this.commitPendingWrites());
      this.pendingWrites.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  private commitPendingWrites(): void {
    const writes = this.pendingWrites;
    this.pendingWrites = [];
    if (writes.length === 0) return;
    if (!this.db.isOpen) {
      for (const write of writes) write.reject(new Error(`the history ${this.file} is closed`));
      return;
    }
    let outcomes: { ok: boolean; value: unknown }[];
    try {
      outcomes = this.transaction(() => writes.map(({ work }) => this.inSavepoint(work)));
    } catch (error) {
      for (const write of writes) write.reject(error);
      return;
    }
    writes.forEach((write, index) => {
      const { ok, value } = outcomes[index]!;
      if (ok) write.resolve(value);
      else write.reject(value);
    });
  }

  /** One write of a group: its failure undoes it alone. */
  private inSavepoint(work: () => unknown): { ok: boolean; value: unknown } {
    this.db.exec('SAVEPOINT one_write');
    try {
      const value = work();
      this.db.exec('RELEASE one_write');
      return { ok: true, value };
    } catch (error) {
      this.db.exec('ROLLBACK TO one_write; RELEASE one_write');
      return { ok: false, value: error };
    }
  }

  /** Gives freed pages back to the file system, a few at a time (auto_vacuum = INCREMENTAL). */
  compact(pages = 2_000): void {
    this.db.exec(`PRAGMA incremental_vacuum(${pages})`);
    // The file shrinks when the log is copied back into it.
    this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  }

  close(): void {
    if (!this.db.isOpen) return;
    this.commitPendingWrites();
    for (const statement of this.statements.values()) statement.finalize();
    this.statements.clear();
    this.db.close();
    openFiles.delete(this.file);
    rmSync(ownerFile(this.file), { force: true });
  }
}

/** Brings the schema up to the newest version, each migration in its own transaction. */
export function migrate(db: SqliteDatabase, upTo = migrations.length): void {
  const current = Number(db.get('PRAGMA user_version')?.['user_version'] ?? 0);
  if (current > migrations.length) throw new Error(`the history was written by a newer Burrow (schema ${current}; this one knows up to ${migrations.length})`);
  for (let version = current + 1; version <= upTo; version++) {
    try {
      db.exec(`BEGIN IMMEDIATE; ${migrations[version - 1]}; PRAGMA user_version = ${version}; COMMIT`);
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
  }
}

const ownerFile = (file: string) => `${file}.owner`;

/**
 * The library locks a file by creating a folder beside it, and this connection keeps it for its
 * life; one left by a crash would keep the history locked forever. So the process that holds it
 * writes its pid beside it: a lock whose owner is gone is taken over, one whose owner runs is not.
 */
function takeOwnership(file: string): void {
  const owner = Number(readIfThere(ownerFile(file)));
  if (owner && owner !== process.pid && isRunning(owner)) throw new Error(`the history ${file} is open in another Burrow (process ${owner})`);
  rmSync(`${file}.lock`, { recursive: true, force: true });
  writeFileSync(ownerFile(file), String(process.pid));
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readIfThere(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function moveIfThere(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
