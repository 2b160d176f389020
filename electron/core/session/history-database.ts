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

/** The history is open already: in this process (`pid` absent), or in the running process `pid`. */
export class HistoryInUse extends Error {
  override name = 'HistoryInUse';

  constructor(
    readonly file: string,
    readonly pid?: number,
  ) {
    super(pid === undefined ? `the history ${file} is open already` : `the history ${file} is open in another Burrow (process ${pid})`);
  }
}

interface PendingWrite {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * A transaction stays open while writes keep coming, up to these bounds: a burst of messages costs
 * one sync to disk, and what waits for the disk (a receipt) waits at most about this long.
 */
const maxWritesPerCommit = 1_000;
const maxCommitDelayMs = 50;

export class HistoryDatabase {
  private readonly statements = new Map<string, Statement>();
  /** Writes asked for and not run yet. */
  private pendingWrites: PendingWrite[] = [];
  /** The transaction the writes run in, left open while more come; and who waits for it to be on disk. */
  private openWrites: { since: number; writes: number; committed: Deferred | null } | null = null;
  private turnScheduled = false;
  private rolledBack = 0;

  private constructor(
    private readonly db: SqliteDatabase,
    readonly file: string,
  ) {}

  static open(file: string, reportFault: ReportFault): HistoryDatabase {
    file = path.resolve(file);
    if (openFiles.has(file)) throw new HistoryInUse(file);
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

  /**
   * Runs `work` in one transaction: all of it or none. On disk when this returns, unless it joined
   * the writes' open transaction: then once `committed()` resolves.
   */
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
   * Runs `work` in a later turn of the event loop, after every write asked for before it, each all or
   * nothing; the promise settles with its outcome, which every read sees from then on. It reaches the
   * disk with the writes around it, in one commit (group commit): `committed()` says when.
   */
  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pendingWrites.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.scheduleTurn();
    });
  }

  /** Resolves once every write asked for so far is on disk; rejects if their commit failed. */
  committed(): Promise<void> {
    if (this.openWrites === null && this.pendingWrites.length === 0) return Promise.resolve();
    if (this.openWrites === null) this.openWrites = { since: performance.now(), writes: 0, committed: null };
    this.openWrites.committed ??= deferred();
    return this.openWrites.committed.promise;
  }

  private scheduleTurn(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    setImmediate(() => {
      this.turnScheduled = false;
      this.writeTurn();
    });
  }

  /**
   * Runs the writes waiting, in the open transaction; commits it once a turn brings none (the burst
   * is over), or once it is big or old enough.
   */
  private writeTurn(): void {
    if (!this.db.isOpen) {
      this.failWaiting(new Error(`the history ${this.file} is closed`));
      return;
    }
    if (this.pendingWrites.length === 0) {
      this.commitOpenWrites();
      return;
    }
    this.runPendingWrites();
    const open = this.openWrites;
    if (open && (open.writes >= maxWritesPerCommit || performance.now() - open.since >= maxCommitDelayMs)) this.commitOpenWrites();
    else this.scheduleTurn();
  }

  private runPendingWrites(): void {
    const writes = this.pendingWrites;
    this.pendingWrites = [];
    if (writes.length === 0) return;
    try {
      if (!this.db.inTransaction) this.db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      for (const write of writes) write.reject(error);
      return;
    }
    this.openWrites ??= { since: performance.now(), writes: 0, committed: null };
    this.openWrites.writes += writes.length;
    const outcomes = writes.map(({ work }) => this.inSavepoint(work));
    writes.forEach((write, index) => {
      const { ok, value } = outcomes[index]!;
      if (ok) write.resolve(value);
      else write.reject(value);
    });
  }

  private commitOpenWrites(): void {
    const open = this.openWrites;
    if (open === null) return;
    this.openWrites = null;
    try {
      if (this.db.inTransaction) this.db.exec('COMMIT');
      open.committed?.resolve();
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      this.rolledBack += 1;
      open.committed?.reject(error);
    }
  }

  /** How many commits of grouped writes failed and were rolled back: what reads saw of them is gone. */
  get rollbacks(): number {
    return this.rolledBack;
  }

  private failWaiting(error: Error): void {
    for (const write of this.pendingWrites.splice(0)) write.reject(error);
    this.openWrites?.committed?.reject(error);
    this.openWrites = null;
  }

  /** What was asked for, run and on disk now. */
  private flush(): void {
    this.runPendingWrites();
    this.commitOpenWrites();
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
    this.flush();
    this.db.exec(`PRAGMA incremental_vacuum(${pages})`);
    // The file shrinks when the log is copied back into it.
    this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  }

  close(): void {
    if (!this.db.isOpen) return;
    this.flush();
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
  if (owner && owner !== process.pid && isRunning(owner)) throw new HistoryInUse(file, owner);
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

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((settle, fail) => {
    resolve = settle;
    reject = fail;
  });
  // Nobody may be waiting for a failed commit any more; those who are still see it.
  promise.catch(() => {});
  return { promise, resolve, reject };
}
