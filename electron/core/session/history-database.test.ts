import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type * as sqlite from 'node-sqlite3-wasm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { HistoryDatabase, migrate } from './history-database.js';
import { migrations } from './history-schema.js';
import { History } from './history.js';
import { fromBobNumbered } from './testing/history-messages.js';

let folder: string;
let file: string;
const opened: HistoryDatabase[] = [];
let faults: { level: string; message: string }[] = [];

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'burrow-history-db-'));
  file = path.join(folder, 'history.sqlite');
  faults = [];
});

afterEach(async () => {
  for (const database of opened.splice(0)) database.close();
  await rm(folder, { recursive: true, force: true });
});

/** The history file opened with SQLite alone, as an older Burrow would have. */
const rawDatabase = () => new (createRequire(import.meta.url)('node-sqlite3-wasm') as typeof sqlite).Database(file);

/** A history file as a Burrow of schema `version` left it, with bob's conversation and what `statements` add. */
function writtenAtVersion(version: number, ...statements: string[]): void {
  const raw = rawDatabase();
  migrate(raw, version);
  raw.exec("INSERT INTO conversations (peer, listed) VALUES ('bob@example.org', 1)");
  for (const statement of statements) raw.exec(statement);
  raw.close();
}

/** Opens the database as on a start, the one opened before closed first. */
function open(): HistoryDatabase {
  for (const database of opened) database.close();
  const database = HistoryDatabase.open(file, (level, message) => faults.push({ level, message }));
  opened.push(database);
  return database;
}

/** The history file and its write-ahead log: a commit may leave its pages in the log for a while. */
async function bytesOnDisk(): Promise<number> {
  const log = `${file}-wal`;
  return (await stat(file)).size + (existsSync(log) ? (await stat(log)).size : 0);
}

/** Counts the commits SQLite is asked for on `database`'s connection. */
function spyOnCommits(database: HistoryDatabase): () => number {
  const connection = (database as unknown as { db: { exec(sql: string): void } }).db;
  const exec = vi.spyOn(connection, 'exec');
  return () => exec.mock.calls.filter(([sql]) => sql === 'COMMIT').length;
}

/** Long enough that a few hundred fill pages the file can give back. */
const message = (n: number) => fromBobNumbered(n, `message ${n} ${'words '.repeat(40)}`);

describe('the history database', () => {
  it('is created at the newest schema version, able to give freed space back', () => {
    const database = open();
    expect(database.version).toBe(migrations.length);
    expect(database.get('PRAGMA auto_vacuum')).toEqual({ auto_vacuum: 2 });
    expect(database.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
  });

  it('migration 1 creates the conversations, the messages and their full-text index, kept in step by triggers', () => {
    const database = open();
    const names = database.all("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') ORDER BY name").map((row) => row['name']);
    expect(names).toEqual(expect.arrayContaining(['conversations', 'messages', 'message_text', 'message_text_insert', 'message_text_delete', 'message_text_update']));
  });

  it('migration 2 indexes every message by time, for search, on a history written at version 1', () => {
    writtenAtVersion(1, "INSERT INTO messages (conversation, id, direction, body, at, at_ms, state) VALUES (1, 'm1', 'in', 'hello', '2026-11-22T10:00:00.000Z', 1795341600000, 'received')");

    const migrated = open();
    expect(migrated.version).toBe(migrations.length);
    expect(migrated.get("SELECT sql FROM sqlite_master WHERE name = 'messages_by_time'")).toEqual({ sql: 'CREATE INDEX messages_by_time ON messages (at_ms, seq)' });
    expect(migrated.get('SELECT COUNT(*) AS count FROM messages INDEXED BY messages_by_time WHERE at_ms > 0')).toEqual({ count: 1 });
  });

  it('migration 3 counts the unread messages of each conversation of a history written at version 2, once', () => {
    writtenAtVersion(
      2,
      "UPDATE conversations SET read_up_to = '2026-11-22T10:00:01.000Z', read_up_to_ms = 1795341601000",
      `INSERT INTO messages (conversation, id, direction, body, at, at_ms, state) VALUES
         (1, 'read', 'in', 'seen', '2026-11-22T10:00:00.000Z', 1795341600000, 'received'),
         (1, 'new1', 'in', 'not seen', '2026-11-22T10:00:02.000Z', 1795341602000, 'received'),
         (1, 'mine', 'out', 'my own', '2026-11-22T10:00:03.000Z', 1795341603000, 'sent'),
         (1, 'new2', 'in', 'not seen either', '2026-11-22T10:00:04.000Z', 1795341604000, 'received')`,
    );

    expect(open().get("SELECT unread FROM conversations WHERE peer = 'bob@example.org'")).toEqual({ unread: 2 });
  });

  it('migration 4 lets a correction find a message of a history written at version 3 by its origin-id, the id Burrow sends it with', async () => {
    writtenAtVersion(
      3,
      `INSERT INTO messages (conversation, id, direction, body, at, at_ms, origin_id, state) VALUES
         (1, 'o-1', 'out', 'see you at 6', '2026-11-22T10:00:00.000Z', 1795341600000, 'o-1', 'delivered')`,
    );

    const history = new History(open());
    expect(await history.correct({ peer: 'bob@example.org', direction: 'out', replaces: 'o-1', body: 'see you at 7', at: '2026-11-22T10:01:00.000Z' })).toMatchObject({
      kind: 'corrected',
      message: { id: 'o-1', body: 'see you at 7', edited: true, state: 'delivered' },
    });
  });

  it('migration 5 lets a history written at version 4 keep room messages with their sender and mention, its old messages having neither', async () => {
    writtenAtVersion(4, "INSERT INTO messages (conversation, id, direction, body, at, at_ms, state) VALUES (1, 'old', 'in', 'hello', '2026-11-22T10:00:00.000Z', 1795341600000, 'received')");

    const history = new History(open());
    await history.record({ ...fromBobNumbered(2, 'Bob, look'), peer: 'team@rooms.example.org', sender: 'carol', mention: true });
    expect(await history.message('bob@example.org', 'old')).not.toHaveProperty('sender');
    expect((await history.page('team@rooms.example.org')).messages).toEqual([expect.objectContaining({ body: 'Bob, look', sender: 'carol', mention: true })]);
  });

  it('migration 6 lets a message of a history written at version 5 say its correction was refused, until it is corrected again', async () => {
    writtenAtVersion(
      5,
      `INSERT INTO messages (conversation, id, direction, body, at, at_ms, origin_id, sender_id, corrected_at, state) VALUES
         (1, 'o-1', 'out', 'see you at 7', '2026-11-22T10:00:00.000Z', 1795341600000, 'o-1', 'o-1', '2026-11-22T10:01:00.000Z', 'delivered')`,
    );

    const history = new History(open());
    expect(await history.message('bob@example.org', 'o-1')).not.toHaveProperty('correctionFailure');
    expect(await history.correctionFailed('bob@example.org', 'o-1', 'see you at 7', 'forbidden')).toMatchObject({ id: 'o-1', correctionFailure: 'forbidden' });
    const correction = { peer: 'bob@example.org', direction: 'out' as const, replaces: 'o-1', body: 'see you at 8', at: '2026-11-22T10:02:00.000Z' };
    expect((await history.correct(correction)) as { message: object }).not.toHaveProperty('message.correctionFailure');
  });

  it('keeps what it holds across a reopen, and leaves a newer schema alone', async () => {
    await new History(open()).record(message(1));
    expect(open().get('SELECT COUNT(*) AS count FROM messages')).toEqual({ count: 1 });

    open().run(`PRAGMA user_version = ${migrations.length + 1}`);
    expect(() => open()).toThrow(/written by a newer Burrow/);
  });

  it('moves a file it cannot read aside, tells the user where, and starts afresh', async () => {
    await writeFile(file, 'this is not a database, it is a shopping list: '.repeat(100));
    const database = open();

    expect(database.version).toBe(migrations.length);
    const [aside] = (await readdir(folder)).filter((name) => name.includes('unreadable'));
    expect(await readFile(path.join(folder, aside!), 'utf8')).toMatch(/^this is not a database/);
    expect(faults).toEqual([{ level: 'error', message: expect.stringContaining(`The old file was kept as ${path.join(folder, aside!)}`) }]);
    await new History(database).record(message(1));
  });

  it('opens a file whose lock a crash left behind, but not one another running Burrow holds', async () => {
    open().close();
    await mkdir(`${file}.lock`);
    await writeFile(`${file}.owner`, '999999999');
    await new History(open()).record(message(1));

    for (const database of opened) database.close();
    await mkdir(`${file}.lock`);
    await writeFile(`${file}.owner`, String(process.ppid));
    expect(() => open()).toThrow(`is open in another Burrow (process ${process.ppid})`);
  });

  it('gives the space of a forgotten conversation back to the disk', async () => {
    const database = open();
    const history = new History(database);
    for (let n = 0; n < 400; n++) await history.record(message(n));
    await history.committed();
    const full = await bytesOnDisk();

    await history.forget('bob@example.org');
    expect(await bytesOnDisk()).toBeLessThan(full / 2);
  });

  it('opens a history written with a rollback journal in write-ahead mode, with all it held', () => {
    const legacy = rawDatabase();
    legacy.exec('PRAGMA journal_mode = PERSIST; CREATE TABLE kept (word TEXT); INSERT INTO kept VALUES (\'hello\')');
    legacy.close();

    const database = open();
    expect(database.get('PRAGMA journal_mode')).toEqual({ journal_mode: 'wal' });
    expect(database.get('SELECT word FROM kept')).toEqual({ word: 'hello' });
    expect(existsSync(`${file}-journal`)).toBe(false);
  });

  it('runs the writes asked for together, a failed one alone undone, and commits them once', async () => {
    const database = open();
    const commits = spyOnCommits(database);
    const add = (peer: string) => database.write(() => database.run('INSERT INTO conversations (peer) VALUES (:peer)', { ':peer': peer }).changes);

    const outcomes = await Promise.allSettled([add('bob@example.org'), add('bob@example.org'), add('carol@example.org')]);
    await database.committed();

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(commits()).toBe(1);
    expect(database.all('SELECT peer FROM conversations ORDER BY id')).toEqual([{ peer: 'bob@example.org' }, { peer: 'carol@example.org' }]);
  });

  it('keeps the transaction open while writes keep coming one after another, and commits once they stop', async () => {
    const database = open();
    const commits = spyOnCommits(database);
    const history = new History(database);

    // Each waits for the one before, as messages handled in turn do: every read sees it at once.
    for (let n = 0; n < 20; n++) {
      await history.record(message(n));
      expect(await history.count('bob@example.org')).toBe(n + 1);
    }
    expect(commits()).toBe(0);

    await history.committed();
    expect(commits()).toBe(1);
    database.close();
    expect(open().get('SELECT COUNT(*) AS count FROM messages')).toEqual({ count: 20 });
  });

  it('commits a long run of writes on the way, so that nothing waits long for the disk', async () => {
    const database = open();
    const commits = spyOnCommits(database);
    const history = new History(database);

    for (let n = 0; n < 1_001; n++) await history.record(message(n));
    expect(commits()).toBeGreaterThanOrEqual(1);
  });

  it('commits the writes still waiting when it closes', async () => {
    const database = open();
    const written = database.write(() => database.run("INSERT INTO conversations (peer) VALUES ('bob@example.org')").changes);
    database.close();

    await expect(written).resolves.toBe(1);
    expect(open().get('SELECT COUNT(*) AS count FROM conversations')).toEqual({ count: 1 });
  });

  it('rolls back a transaction that fails: all of it or nothing', () => {
    const database = open();
    expect(() =>
      database.transaction(() => {
        database.run("INSERT INTO conversations (peer) VALUES ('bob@example.org')");
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(database.get('SELECT COUNT(*) AS count FROM conversations')).toEqual({ count: 0 });
  });
});
