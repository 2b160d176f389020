/** The policy the operating system's management tools set: Group Policy on Windows, configuration profiles on macOS. */
import { userInfo } from 'node:os';
import type { AdministratorPolicy } from '../policy.js';
import { diskPreferenceFiles, managedPreferencesPaths, readManagedPreferences } from './managed-preferences.js';
import { regExeSource } from './reg-exe-source.js';
import { readRegistryPolicy, windowsPolicyKeys } from './registry.js';

/** User level first, then the machine's, in merge order; empty where the platform has none. */
export async function readPlatformPolicies(platform: NodeJS.Platform = process.platform): Promise<AdministratorPolicy[]> {
  let reads: Promise<AdministratorPolicy | undefined>[] = [];
  if (platform === 'win32') reads = windowsPolicyKeys.map((key) => readRegistryPolicy(regExeSource(), key));
  if (platform === 'darwin') reads = managedPreferencesPaths(userInfo().username).map((file) => readManagedPreferences(diskPreferenceFiles, file));
  return (await Promise.all(reads)).filter((policy) => policy !== undefined);
}
