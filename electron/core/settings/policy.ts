/**
 * The administrator policy: communities (whole or partly locked), default and locked connection
 * settings, trusted CAs — merged from every source that has one.
 *
 * Sources, lowest precedence first (see loadPolicy; a later source wins key by key, and
 * defines a community whole):
 *   1. the installer's resources: `<resources>/policy.json` (electron-builder extraResources);
 *   2. the machine-wide file (machinePolicyPath): Linux `/etc/burrow/policy.json`,
 *      Windows `%ProgramData%\Burrow\policy.json`, macOS `/Library/Application Support/Burrow/policy.json`;
 *   3. user-level managed policy: Windows `HKCU\Software\Policies\Burrow`, a macOS user profile;
 *   4. machine-level managed policy: Windows `HKLM\Software\Policies\Burrow`, a macOS device profile.
 * The managed sources come from their platform readers as parsed documents. A missing source is
 * skipped; an unreadable or invalid one is a PolicyError naming the source, the field and the
 * reason, so the app can stop instead of running half-configured.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fieldIssues, formatIssues } from '../../common/settings/issues.js';
import type { FieldIssue } from '../../common/settings/issues.js';
import { lockableServerFields } from '../../common/settings/schema.js';
import type { DesktopOverrides } from '../../common/settings/desktop.js';
import type { Community, ConnectionOverrides, LockableServerField } from '../../common/settings/schema.js';
import { migratePolicy } from './policy-migrations.js';
import { lockableCommunityFields, PolicyFile } from './policy-schema.js';
import type { PolicyCommunity, PolicyUsername, UpdatesPolicy } from './policy-schema.js';

/** A community's fields an administrator locked: its server fields, and its own locked connection values. */
export interface CommunityLock {
  fields: LockableServerField[];
  connection: ConnectionOverrides;
}

/** The policies of every source, merged. */
export interface AdministratorPolicy {
  communities: Community[];
  /** By community id; a community with a lock cannot be removed. */
  communityLocks: Record<string, CommunityLock>;
  defaults: ConnectionOverrides;
  locked: ConnectionOverrides;
  /** Tray, start at login and away when idle: starting values, and values the user cannot change. */
  desktopDefaults: DesktopOverrides;
  desktopLocked: DesktopOverrides;
  trustedCa: string[];
  /** Absolute paths. */
  trustedCaFiles: string[];
  /** false: users may not trust a server certificate themselves; not said (they may) when absent. */
  allowCertificateTrust?: boolean;
  updates: UpdatesPolicy;
  /** The names of the sources that were applied, in order. */
  sources: string[];
}

export const emptyPolicy: AdministratorPolicy = {
  communities: [],
  communityLocks: {},
  defaults: {},
  locked: {},
  desktopDefaults: {},
  desktopLocked: {},
  trustedCa: [],
  trustedCaFiles: [],
  updates: {},
  sources: [],
};

/** One policy as its reader found it: a file, a registry key, a managed-preferences domain. */
export interface PolicySource {
  /** Names the source in errors: a file path, `HKLM\Software\Policies\Burrow`, … */
  name: string;
  /** The parsed document, not yet validated. */
  policy: unknown;
  /** What relative `trustedCaFiles` are relative to; without it they must be absolute. */
  directory?: string;
  /** Its file paths are Windows paths (the registry's), whatever system reads them. */
  windowsPaths?: boolean;
}

/** The policies the platform's management tools set (policy-sources/platform.ts), where there are any. */
export interface ManagedPolicySources {
  userManaged?: PolicySource | undefined;
  machineManaged?: PolicySource | undefined;
}

/** What resolving a policy needs from the machine. */
export interface PolicyContext {
  /** The operating-system login of the user running Burrow, or undefined when it cannot be told. */
  osLogin: () => string | undefined;
}

export const machineContext: PolicyContext = {
  osLogin: () => {
    try {
      return os.userInfo().username;
    } catch {
      return undefined;
    }
  },
};

export class PolicyError extends Error {
  override name = 'PolicyError';

  constructor(
    readonly source: string,
    readonly issues: FieldIssue[],
  ) {
    super(`The administrator policy ${source} is invalid:\n${formatIssues(issues)}`);
  }
}

export function machinePolicyPath(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string {
  switch (platform) {
    case 'win32':
      return path.win32.join(env.ProgramData ?? 'C:\\ProgramData', 'Burrow', 'policy.json');
    case 'darwin':
      return '/Library/Application Support/Burrow/policy.json';
    default:
      return '/etc/burrow/policy.json';
  }
}

/** The policy files in merge order: the installer's, then the machine's. */
export function policyPaths(resourcesDir: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  return [path.join(resourcesDir, 'policy.json'), machinePolicyPath(platform, env)];
}

function username(value: PolicyUsername, context: PolicyContext): string {
  return typeof value === 'string' ? value : (context.osLogin() ?? '');
}

function lockOf({ locked, connection }: PolicyCommunity): CommunityLock | undefined {
  if (locked === undefined) return undefined;
  const fields = locked === true ? lockableCommunityFields : locked;
  return {
    fields: lockableServerFields.filter((field) => fields.includes(field)),
    connection: {
      ...(fields.includes('method') && connection.method !== undefined ? { method: connection.method } : {}),
      ...(fields.includes('proxy') && connection.proxy !== undefined ? { proxy: connection.proxy } : {}),
    },
  };
}

function caFilePath(file: string, index: number, source: PolicySource): string {
  if ((source.windowsPaths ? path.win32 : path).isAbsolute(file)) return file;
  if (source.directory === undefined) throw new PolicyError(source.name, [{ path: `trustedCaFiles[${index}]`, message: 'must be an absolute path in this source' }]);
  return path.resolve(source.directory, file);
}

/** Migrates and validates one source's policy; throws PolicyError naming the source. */
export function parsePolicy(source: PolicySource, context: PolicyContext = machineContext): AdministratorPolicy {
  const migrated = migratePolicy(source.policy);
  if (!migrated.ok) throw new PolicyError(source.name, migrated.issues);
  const parsed = PolicyFile.safeParse(migrated.document);
  if (!parsed.success) throw new PolicyError(source.name, fieldIssues(parsed.error));
  const policy = parsed.data;
  const communities = policy.communities ?? [];
  const locked = policy.locked?.connection ?? {};
  const communityLocks = communities.flatMap((community) => {
    const lock = lockOf(community);
    return lock ? [[community.id, lock] as const] : [];
  });
  return {
    communities: communities.map(({ locked: _locks, ...community }) => ({ ...community, username: username(community.username, context) })),
    communityLocks: Object.fromEntries(communityLocks),
    defaults: policy.defaults?.connection ?? {},
    locked: policy.allowUnencryptedTunnelling === undefined ? locked : { ...locked, allowUnencrypted: policy.allowUnencryptedTunnelling },
    desktopDefaults: policy.defaults?.desktop ?? {},
    desktopLocked: policy.locked?.desktop ?? {},
    trustedCa: policy.trustedCa ?? [],
    trustedCaFiles: (policy.trustedCaFiles ?? []).map((file, index) => caFilePath(file, index, source)),
    ...(policy.allowCertificateTrust === undefined ? {} : { allowCertificateTrust: policy.allowCertificateTrust }),
    updates: policy.updates ?? {},
    sources: [source.name],
  };
}

/** A policy file as a source, or undefined when there is none. */
export async function readPolicyFile(file: string): Promise<PolicySource | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PolicyError(file, [{ path: '', message: `cannot be read: ${(error as Error).message}` }]);
  }
  try {
    return { name: file, policy: JSON.parse(text), directory: path.dirname(file) };
  } catch (error) {
    throw new PolicyError(file, [{ path: '', message: `is not valid JSON: ${(error as Error).message}` }]);
  }
}

/** Validates every source, then merges them in the order given, lowest precedence first; all or nothing. */
export function mergePolicySources(sources: readonly PolicySource[], context: PolicyContext = machineContext): AdministratorPolicy {
  return sources.map((source) => parsePolicy(source, context)).reduce(mergePolicies, emptyPolicy);
}

/**
 * Reads the files that exist (policyPaths: the installer's, then the machine's), then the
 * platform's managed policies, and merges them lowest precedence first: the files in their order
 * < user-level managed < machine-level managed.
 */
export async function loadPolicy(
  files: readonly string[],
  readManaged: () => Promise<ManagedPolicySources> = () => Promise.resolve({}),
  context: PolicyContext = machineContext,
): Promise<AdministratorPolicy> {
  const [fileSources, { userManaged, machineManaged }] = await Promise.all([Promise.all(files.map(readPolicyFile)), readManaged()]);
  return mergePolicySources(
    [...fileSources, userManaged, machineManaged].filter((source) => source !== undefined),
    context,
  );
}

/** Whether users may trust a server certificate themselves ("Trust this certificate…"). */
export function certificateTrustAllowed(policy: AdministratorPolicy): boolean {
  return policy.allowCertificateTrust !== false;
}

/** `later` wins key by key; a community it defines replaces the earlier one whole, its locks included. */
export function mergePolicies(earlier: AdministratorPolicy, later: AdministratorPolicy): AdministratorPolicy {
  const laterIds = new Set(later.communities.map(({ id }) => id));
  const keptLocks = Object.entries(earlier.communityLocks).filter(([id]) => !laterIds.has(id));
  const allowCertificateTrust = later.allowCertificateTrust ?? earlier.allowCertificateTrust;
  return {
    communities: [...earlier.communities.filter(({ id }) => !laterIds.has(id)), ...later.communities],
    communityLocks: { ...Object.fromEntries(keptLocks), ...later.communityLocks },
    defaults: mergeOverrides(earlier.defaults, later.defaults),
    locked: mergeOverrides(earlier.locked, later.locked),
    desktopDefaults: { ...earlier.desktopDefaults, ...later.desktopDefaults },
    desktopLocked: { ...earlier.desktopLocked, ...later.desktopLocked },
    trustedCa: [...new Set([...earlier.trustedCa, ...later.trustedCa])],
    trustedCaFiles: [...new Set([...earlier.trustedCaFiles, ...later.trustedCaFiles])],
    ...(allowCertificateTrust === undefined ? {} : { allowCertificateTrust }),
    updates: { ...earlier.updates, ...later.updates },
    sources: [...earlier.sources, ...later.sources],
  };
}

/** Layers connection overrides: `upper` wins key by key, the proxy's fields included. */
export function mergeOverrides(lower: ConnectionOverrides, upper: ConnectionOverrides): ConnectionOverrides {
  const merged = { ...lower, ...upper };
  if (lower.proxy || upper.proxy) merged.proxy = { ...lower.proxy, ...upper.proxy };
  return merged;
}
