/**
 * How far the local history has caught up with the server archive: the newest archive id seen,
 * or failing that the last time a stream was live. The next fresh session asks the archive for
 * everything after it (XEP-0313).
 */
import path from 'node:path';
import { z } from 'zod';

import { Journal } from './journal.js';

const ArchivePosition = z.object({ lastArchiveId: z.string().nullable(), lastSeenAt: z.string().nullable() });
export type ArchivePosition = z.infer<typeof ArchivePosition>;

export class ArchivePositionStore {
  private readonly journal: Journal<ArchivePosition>;

  constructor(folder: string) {
    this.journal = new Journal(path.join(folder, 'archive-position.jsonl'), ArchivePosition);
  }

  async read(): Promise<ArchivePosition> {
    return (await this.journal.read()).at(-1) ?? { lastArchiveId: null, lastSeenAt: null };
  }

  write(position: ArchivePosition): Promise<void> {
    return this.journal.rewrite([position]);
  }

  /** Resolves once the writes asked for are done: none lands in the folder after this. */
  close(): Promise<void> {
    return this.journal.close();
  }
}
