import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';

import { Journal } from './journal.js';

let folder: string;
let journal: Journal<number>;

beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'burrow-journal-'));
  journal = new Journal(path.join(folder, 'numbers.jsonl'), z.number());
});

afterEach(async () => {
  vi.restoreAllMocks();
  await journal.close();
  await rm(folder, { recursive: true, force: true });
});

/** Counts the syncs of every file handle the journal opens. */
async function countSyncs() {
  const probe = await open(path.join(folder, 'probe'), 'w');
  const handles = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
  await probe.close();
  return vi.spyOn(handles, 'datasync');
}

describe('a journal', () => {
  it('writes the entries appended while a write is on its way in one more write and one sync, in order', async () => {
    const syncs = await countSyncs();

    await Promise.all(Array.from({ length: 50 }, (_, n) => journal.append(n)));

    expect(await journal.read()).toEqual(Array.from({ length: 50 }, (_, n) => n));
    expect(syncs.mock.calls.length).toBeLessThanOrEqual(2);
  });

  it('never lets an append made after a rewrite be written before it, where the rewrite would wipe it', async () => {
    await journal.append(1);
    const writes = [journal.append(2), journal.rewrite([10]), journal.append(3)];
    await Promise.all(writes);

    expect(await journal.read()).toEqual([10, 3]);
  });
});
