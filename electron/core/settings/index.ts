export { connectionKeys } from '../../common/settings/connection-keys.js';
export type { ConnectionKey, FlatConnection } from '../../common/settings/connection-keys.js';
export { isDnsName, isHost, isIPv4, isIPv6 } from '../../common/settings/host.js';
export { fieldIssues, formatIssues, SettingsValidationError } from '../../common/settings/issues.js';
export type { FieldIssue } from '../../common/settings/issues.js';
export { assertWritable, isLocked, LockedSettingError, lockedKeys } from './locks.js';
export { migrateSettings, UnsupportedVersionError } from './migrations.js';
export {
  emptyPolicy,
  loadPolicy,
  machineContext,
  machinePolicyPath,
  mergePolicySources,
  parsePolicy,
  PolicyError,
  policyPaths,
  readPolicyFile,
} from './policy.js';
export type { AdministratorPolicy, CommunityLock, ManagedPolicySources, PolicyContext, PolicySource } from './policy.js';
export { lockableCommunityFields, POLICY_VERSION, PolicyFile } from './policy-schema.js';
export type { UpdatesPolicy } from './policy-schema.js';
export { readPlatformPolicies } from './policy-sources/platform.js';
export { connectionValues, inheritedByUser, overridesFrom, resolveCommunities, resolveConnection } from './resolve.js';
export type { ResolvedCommunity, ResolvedConnection, Sourced } from './resolve.js';
export * from '../../common/settings/schema.js';
export { MemorySecretStore } from './secrets.js';
export { secretKeys } from '../../common/settings/secret-keys.js';
export type { SecretStore } from './secrets.js';
export { createPlainConf, openSettingsStore, SETTINGS_FILE_NAME } from './store.js';
export type { ConfLike, CreateConf, OpenSettingsOptions, SettingsConfOptions, SettingsNotice, SettingsStore } from './store.js';
