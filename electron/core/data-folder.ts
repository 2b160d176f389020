/**
 * Whether Burrow can keep anything in its data folder, checked once at start: a folder that is a
 * file, read-only or full would otherwise surface as a lost message or a failed save, later and far
 * from its cause.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';

/** Why the folder cannot be written to, or null when it can. */
export async function dataFolderProblem(dataDir: string): Promise<string | null> {
  const probe = path.join(dataDir, `.write-check-${randomUUID()}`);
  try {
    await mkdir(dataDir, { recursive: true });
    const handle = await open(probe, 'wx');
    try {
      // A full disk may take the file but not its contents.
      await handle.write('Burrow checks that it can write here.\n');
      await handle.datasync();
    } finally {
      await handle.close();
    }
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await rm(probe, { force: true }).catch(() => {});
  }
}

export function dataFolderNotice(dataDir: string, problem: string): string {
  return (
    `Burrow cannot write to its data folder ${dataDir} (${problem}). Until that is fixed, messages you send cannot be kept ` +
    'safely, history is not saved and settings changes are lost when Burrow stops. Check that the folder exists, is writable and its disk is not full.'
  );
}
