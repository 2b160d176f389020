/**
 * macOS managed preferences: what a configuration profile sets for Burrow's bundle id, as the
 * system writes it under /Library/Managed Preferences (per user, then for the whole machine).
 * The keys are those of the JSON policy file; a profile says lists of objects natively.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'plist';
import { PolicyError } from '../policy.js';
import type { PolicySource } from '../policy.js';

/** The app's bundle id: electron-builder.yml's appId (a test keeps them equal). */
export const burrowBundleId = 'org.burrow.messenger';

export interface PreferenceFiles {
  /** The file's bytes; undefined when it does not exist. */
  read(file: string): Promise<Uint8Array | undefined>;
}

/** User level first: the machine's preferences, merged after them, win. */
export function managedPreferencesPaths(userName: string): string[] {
  return [`/Library/Managed Preferences/${userName}/${burrowBundleId}.plist`, `/Library/Managed Preferences/${burrowBundleId}.plist`];
}

/** The policy document in one managed-preferences file, to be validated and merged; undefined when there is none. A malformed file is a PolicyError naming it. */
export async function readManagedPreferences(files: PreferenceFiles, file: string): Promise<PolicySource | undefined> {
  const bytes = await files.read(file);
  if (!bytes) return undefined;
  let document: unknown;
  try {
    // The system writes them in the binary format; an XML one, as a profile carries it, is read too.
    document = parse(isBinaryPlist(bytes) ? bytes : Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new PolicyError(file, [{ path: '', message: `is not a valid property list: ${(error as Error).message}` }]);
  }
  return { name: file, policy: document };
}

function isBinaryPlist(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, 6)).toString('latin1') === 'bplist';
}

export const diskPreferenceFiles: PreferenceFiles = {
  async read(file) {
    try {
      return await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new PolicyError(file, [{ path: '', message: `cannot be read: ${(error as Error).message}` }]);
    }
  },
};
