/** Remembered paths (winners, a server's endpoints) in a small JSON file in the user data folder, so that they outlive a restart. */
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

import type { MemoryStore } from '../connection/winners.js';

const Remembered = z.record(z.string(), z.unknown());

/** `fileName` in `dataDir`, e.g. winners.json. */
export function fileMemoryStore<T>(dataDir: string, fileName: string): MemoryStore<T> {
  const file = path.join(dataDir, fileName);
  const values = new Map<string, T>(Object.entries(readRemembered(file)) as [string, T][]);
  let writing = Promise.resolve();
  const save = () => {
    const text = JSON.stringify(Object.fromEntries(values), null, 2);
    // Written whole and renamed into place, one write at a time: a crash leaves the old file or the new one.
    writing = writing
      .then(async () => {
        await writeFile(`${file}.tmp`, text);
        await rename(`${file}.tmp`, file);
      })
      .catch((error: unknown) => console.error(`Burrow could not write ${file}:`, error));
  };
  return {
    get: (key) => values.get(key),
    set: (key, value) => {
      values.set(key, value);
      save();
    },
    delete: (key) => {
      if (values.delete(key)) save();
    },
  };
}

/** Only a hint for the next race: an unreadable file is as good as none. */
function readRemembered(file: string): Record<string, unknown> {
  try {
    return Remembered.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return {};
  }
}
