/** Remembered winners in a small JSON file in the user data folder, so that they outlive a restart. */
import { readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

import type { Candidate } from '../connection/candidate.js';
import type { WinnerStore } from '../connection/winners.js';

const Winners = z.record(z.string(), z.unknown());

export function fileWinnerStore(dataDir: string): WinnerStore {
  const file = path.join(dataDir, 'winners.json');
  const winners = new Map<string, Candidate>(Object.entries(readWinners(file)) as [string, Candidate][]);
  let writing = Promise.resolve();
  const save = () => {
    const text = JSON.stringify(Object.fromEntries(winners), null, 2);
    // Written whole and renamed into place, one write at a time: a crash leaves the old file or the new one.
    writing = writing
      .then(async () => {
        await writeFile(`${file}.tmp`, text);
        await rename(`${file}.tmp`, file);
      })
      .catch((error: unknown) => console.error('Burrow could not remember the winning path:', error));
  };
  return {
    get: (key) => winners.get(key),
    set: (key, candidate) => {
      winners.set(key, candidate);
      save();
    },
    delete: (key) => {
      if (winners.delete(key)) save();
    },
  };
}

/** Only a hint for the next race: an unreadable file is as good as none. */
function readWinners(file: string): Record<string, unknown> {
  try {
    return Winners.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return {};
  }
}
