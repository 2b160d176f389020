/** The policy the operating system's management tools set: Group Policy on Windows, configuration profiles on macOS. */
import { userInfo } from 'node:os';
import type { ManagedPolicySources, PolicySource } from '../policy.js';
import { diskPreferenceFiles, managedPreferencesPaths, readManagedPreferences } from './managed-preferences.js';
import { regExeSource } from './reg-exe-source.js';
import { readRegistryPolicy, windowsPolicyKeys } from './registry.js';

/** The user-level and machine-level managed policies; none where the platform has no such thing. */
export async function readPlatformPolicies(platform: NodeJS.Platform = process.platform): Promise<ManagedPolicySources> {
  let reads: Promise<PolicySource | undefined>[] = [];
  if (platform === 'win32') reads = windowsPolicyKeys.map((key) => readRegistryPolicy(regExeSource(), key));
  if (platform === 'darwin') reads = managedPreferencesPaths(userInfo().username).map((file) => readManagedPreferences(diskPreferenceFiles, file));
  const [userManaged, machineManaged] = await Promise.all(reads);
  return { userManaged, machineManaged };
}
