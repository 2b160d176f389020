/**
 * The administrator policy: communities, default and locked connection settings, trusted CAs.
 *
 * Sources, merged in this order (a later file wins key by key):
 *   1. the installer's resources: `<resources>/policy.json` (electron-builder extraResources);
 *   2. the machine-wide file (machinePolicyPath): Linux `/etc/burrow/policy.json`,
 *      Windows `%ProgramData%\Burrow\policy.json`, macOS `/Library/Application Support/Burrow/policy.json`.
 *   3. the platform's management: Windows Group Policy (HKCU, then HKLM `Software\Policies\Burrow`),
 *      macOS configuration profiles (managed preferences, the user's, then the machine's).
 * A missing file is skipped; an unreadable or invalid one is a PolicyError naming the file,
 * the field and the reason, so the app can stop instead of running half-configured.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { fieldIssues, formatIssues } from '../../common/settings/issues.js';
import type { FieldIssue } from '../../common/settings/issues.js';
import { Communities, ConnectionOverrides, PemCertificate } from '../../common/settings/schema.js';
import type { Community } from '../../common/settings/schema.js';

const PolicyLayer = z.strictObject({ connection: ConnectionOverrides.optional() });

/** Burrow's own updates; locked by nature. Absent keys: updates on, on the channel the installed version came from. */
export const UpdatesPolicy = z.strictObject({
  enabled: z.boolean().optional(),
  channel: z.enum(['stable', 'beta']).optional(),
});
export type UpdatesPolicy = z.infer<typeof UpdatesPolicy>;

export const PolicyFile = z
  .strictObject({
    $schema: z.string().optional(),
    /** Communities every user gets; a user's edit of one is kept as theirs. */
    communities: Communities.optional(),
    /** Starting values the user may change. */
    defaults: PolicyLayer.optional(),
    /** Values the user cannot change: they win over everything, communities included. */
    locked: PolicyLayer.optional(),
    /** Certificate authorities trusted in addition to the system's, as PEM text. */
    trustedCa: z.array(PemCertificate).optional(),
    /** PEM files of trusted certificate authorities; relative paths are relative to the policy file. */
    trustedCaFiles: z.array(z.string().min(1, { error: 'must be a file path' })).optional(),
    /** Shorthand for locking `connection.allowUnencrypted`: whether BOSH over http:// and ws:// may ever be used. */
    allowUnencryptedTunnelling: z.boolean().optional(),
    /** false: users cannot trust a server certificate themselves ("Trust this certificate…"), and those they trusted are ignored. */
    allowCertificateTrust: z.boolean().optional(),
    /** `enabled: false` turns Burrow's own updates off (the fleet is updated by its deployment); `channel` pins "stable" or "beta". */
    updates: UpdatesPolicy.optional(),
  })
  .superRefine((policy, context) => {
    const locked = policy.locked?.connection?.allowUnencrypted;
    if (policy.allowUnencryptedTunnelling !== undefined && locked !== undefined && locked !== policy.allowUnencryptedTunnelling) {
      context.addIssue({
        code: 'custom',
        path: ['allowUnencryptedTunnelling'],
        message: 'contradicts locked.connection.allowUnencrypted; set one of them',
      });
    }
  });
export type PolicyFile = z.infer<typeof PolicyFile>;

/** The policies of every source, merged. */
export interface AdministratorPolicy {
  communities: Community[];
  defaults: ConnectionOverrides;
  locked: ConnectionOverrides;
  trustedCa: string[];
  /** Absolute paths. */
  trustedCaFiles: string[];
  /** false: users may not trust a server certificate themselves; not said (they may) when absent. */
  allowCertificateTrust?: boolean;
  updates: UpdatesPolicy;
  /** The files that were applied, in order. */
  sources: string[];
}

export const emptyPolicy: AdministratorPolicy = { communities: [], defaults: {}, locked: {}, trustedCa: [], trustedCaFiles: [], updates: {}, sources: [] };

export class PolicyError extends Error {
  override name = 'PolicyError';

  constructor(
    readonly file: string,
    readonly issues: FieldIssue[],
  ) {
    super(`The administrator policy ${file} is invalid:\n${formatIssues(issues)}`);
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

/** The policy sources in merge order: the installer's, then the machine's. */
export function policyPaths(resourcesDir: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): string[] {
  return [path.join(resourcesDir, 'policy.json'), machinePolicyPath(platform, env)];
}

/** Validates one policy document; throws PolicyError naming `file`. */
export function parsePolicy(document: unknown, file: string): AdministratorPolicy {
  const parsed = PolicyFile.safeParse(document);
  if (!parsed.success) throw new PolicyError(file, fieldIssues(parsed.error));
  const policy = parsed.data;
  const locked = policy.locked?.connection ?? {};
  return {
    communities: policy.communities ?? [],
    defaults: policy.defaults?.connection ?? {},
    locked: policy.allowUnencryptedTunnelling === undefined ? locked : { ...locked, allowUnencrypted: policy.allowUnencryptedTunnelling },
    trustedCa: policy.trustedCa ?? [],
    trustedCaFiles: (policy.trustedCaFiles ?? []).map((caFile) => path.resolve(path.dirname(file), caFile)),
    ...(policy.allowCertificateTrust === undefined ? {} : { allowCertificateTrust: policy.allowCertificateTrust }),
    updates: policy.updates ?? {},
    sources: [file],
  };
}

export async function readPolicyFile(file: string): Promise<AdministratorPolicy | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PolicyError(file, [{ path: '', message: `cannot be read: ${(error as Error).message}` }]);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new PolicyError(file, [{ path: '', message: `is not valid JSON: ${(error as Error).message}` }]);
  }
  return parsePolicy(document, file);
}

/**
 * Reads every file that exists, in order, then the platform's managed policies (the Windows
 * registry, macOS managed preferences: policy-sources/platform.ts), and merges them; all or nothing.
 */
export async function loadPolicy(files: readonly string[], readPlatformPolicies: () => Promise<AdministratorPolicy[]> = () => Promise.resolve([])): Promise<AdministratorPolicy> {
  let merged = emptyPolicy;
  for (const file of files) {
    const policy = await readPolicyFile(file);
    if (policy) merged = mergePolicies(merged, policy);
  }
  for (const policy of await readPlatformPolicies()) merged = mergePolicies(merged, policy);
  return merged;
}

/** Whether users may trust a server certificate themselves ("Trust this certificate…"). */
export function certificateTrustAllowed(policy: AdministratorPolicy): boolean {
  return policy.allowCertificateTrust !== false;
}

export function mergePolicies(earlier: AdministratorPolicy, later: AdministratorPolicy): AdministratorPolicy {
  const laterIds = new Set(later.communities.map(({ id }) => id));
  const allowCertificateTrust = later.allowCertificateTrust ?? earlier.allowCertificateTrust;
  return {
    communities: [...earlier.communities.filter(({ id }) => !laterIds.has(id)), ...later.communities],
    defaults: mergeOverrides(earlier.defaults, later.defaults),
    locked: mergeOverrides(earlier.locked, later.locked),
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
