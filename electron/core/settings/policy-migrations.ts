/**
 * Pure migrations of the administrator policy document, one per version step, as for the
 * settings (migrations.ts). A policy without `version` is version 1.
 */
import type { FieldIssue } from '../../common/settings/issues.js';
import { POLICY_VERSION } from './policy-schema.js';

type PolicyDocument = Record<string, unknown>;

export type PolicyMigration = { ok: true; document: PolicyDocument; fromVersion: number } | { ok: false; issues: FieldIssue[] };

const needsVersion2 = 'add "version": 2 to the policy to use it';

// ---- v1 → v2 -------------------------------------------------------------------------------
// v2 adds what v1 could not say: a community's `locked` fields, and a user name taken from the
// operating-system login. Everything v1 could say means the same in v2. A v1 file that already
// uses them is refused rather than read as something the administrator did not write.

function v2KeysIn(document: PolicyDocument): FieldIssue[] {
  const communities = Array.isArray(document.communities) ? (document.communities as unknown[]) : [];
  return communities.flatMap((community, index) => {
    if (typeof community !== 'object' || community === null) return [];
    const issues: FieldIssue[] = [];
    if ('locked' in community) issues.push({ path: `communities[${index}].locked`, message: `is a policy version 2 key; ${needsVersion2}` });
    if ('username' in community && typeof community.username === 'object' && community.username !== null) {
      issues.push({ path: `communities[${index}].username`, message: `takes a user name from the login only in policy version 2; ${needsVersion2}` });
    }
    return issues;
  });
}

function fromV1(document: PolicyDocument): PolicyMigration {
  const issues = v2KeysIn(document);
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, document: { ...document, version: 2 }, fromVersion: 1 };
}

// ---------------------------------------------------------------------------------------------

/** Keyed by the version each step produces from the one before it. */
const migrations: Readonly<Record<number, (document: PolicyDocument) => PolicyMigration>> = {
  2: fromV1,
};

function versionOf(document: PolicyDocument): number | FieldIssue {
  const { version = 1 } = document;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return { path: 'version', message: `must be a policy version number, 1 to ${POLICY_VERSION}` };
  }
  if (version > POLICY_VERSION) {
    return { path: 'version', message: `is ${version}, for a newer Burrow: this Burrow understands policy versions 1 to ${POLICY_VERSION}` };
  }
  return version;
}

/** Brings a policy document of any known version up to POLICY_VERSION; it still needs validating against PolicyFile. */
export function migratePolicy(document: unknown): PolicyMigration {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return { ok: false, issues: [{ path: '', message: 'must be a JSON object' }] };
  }
  const fromVersion = versionOf(document as PolicyDocument);
  if (typeof fromVersion !== 'number') return { ok: false, issues: [fromVersion] };
  let current = document as PolicyDocument;
  for (let version = fromVersion + 1; version <= POLICY_VERSION; version += 1) {
    const step = migrations[version]?.(current);
    if (!step) throw new Error(`No policy migration to version ${version}`);
    if (!step.ok) return step;
    current = step.document;
  }
  return { ok: true, document: current, fromVersion };
}
