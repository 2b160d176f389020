/**
 * Windows Group Policy: the policy read from `Software\Policies\Burrow` in HKLM (machine) and
 * HKCU (user level), laid out like the JSON policy file:
 *   - an object is a subkey (`locked\connection\proxy`);
 *   - a boolean or a whole number is a REG_DWORD, a string or a choice a REG_SZ;
 *   - a list of strings is a subkey whose values are named 1, 2, 3… (as ADMX `<list>` writes them);
 *   - a list of objects (communities) is JSON text in a REG_SZ or REG_MULTI_SZ, as Chrome and
 *     Edge take their dictionary policies, since Group Policy cannot express its shape.
 * Key and value names are matched without regard to case, as Windows does.
 */
import type { FieldIssue } from '../../../common/settings/issues.js';
import { PolicyError } from '../policy.js';
import type { PolicySource } from '../policy.js';
import { policyShape } from './policy-shape.js';
import type { GroupShape, PolicyField } from './policy-shape.js';

/** The types Burrow reads none of, kept as raw bytes so that an error can name them. */
export type RawRegistryType =
  | 'REG_NONE'
  | 'REG_BINARY'
  | 'REG_DWORD_BIG_ENDIAN'
  | 'REG_LINK'
  | 'REG_RESOURCE_LIST'
  | 'REG_FULL_RESOURCE_DESCRIPTOR'
  | 'REG_RESOURCE_REQUIREMENTS_LIST'
  | 'REG_QWORD'
  | 'REG_UNKNOWN';

export type RegistryValue =
  | { name: string; type: 'REG_SZ' | 'REG_EXPAND_SZ'; data: string }
  | { name: string; type: 'REG_MULTI_SZ'; data: string[] }
  | { name: string; type: 'REG_DWORD'; data: number }
  | { name: string; type: RawRegistryType; data: Uint8Array };

export interface RegistryKey {
  /** The full path, e.g. `HKEY_LOCAL_MACHINE\Software\Policies\Burrow\locked`. */
  path: string;
  /** The key's default (unnamed) value has the name "". */
  values: RegistryValue[];
  subkeys: RegistryKey[];
}

export interface RegistrySource {
  /** The key with its values and all its subkeys; undefined when the key does not exist. */
  readTree(keyPath: string): Promise<RegistryKey | undefined>;
}

/** Relative to the hive, as ADMX templates name keys. */
export const policyKeyPath = String.raw`Software\Policies\Burrow`;

/** User level first: the machine's policy, merged after it, wins (as Chrome and Edge do). */
export const windowsPolicyKeys = ['HKEY_CURRENT_USER', 'HKEY_LOCAL_MACHINE'].map((hive) => `${hive}\\${policyKeyPath}`);

/**
 * The policy document under `keyPath`, to be validated and merged with the others; undefined when
 * the key does not exist. Throws a PolicyError naming the key and the field for a value of the wrong type.
 */
export async function readRegistryPolicy(source: RegistrySource, keyPath: string): Promise<PolicySource | undefined> {
  const key = await source.readTree(keyPath);
  if (!key) return undefined;
  const issues: FieldIssue[] = [];
  const document = documentFromKey(key, policyShape(), [], issues);
  if (issues.length > 0) throw new PolicyError(keyPath, issues);
  return { name: keyPath, policy: document, windowsPaths: true };
}

function documentFromKey(key: RegistryKey, group: GroupShape, path: string[], issues: FieldIssue[]): Record<string, unknown> {
  const fields = new Map(group.fields.map((field) => [field.key.toLowerCase(), field]));
  const document: Record<string, unknown> = {};
  for (const value of key.values) {
    const field = fields.get(value.name.toLowerCase());
    const fieldPath = [...path, value.name].join('.');
    if (!field) issues.push({ path: fieldPath, message: `is not a Burrow policy (${describeValue(value)} in ${key.path})` });
    else if (field.shape.kind === 'group' || field.shape.kind === 'list') issues.push({ path: fieldPath, message: `must be a subkey of ${key.path}, not a value` });
    else {
      const read = readValue(value, field, key.path);
      if ('issue' in read) issues.push({ path: fieldPath, message: read.issue });
      else document[field.key] = read.value;
    }
  }
  for (const subkey of key.subkeys) {
    const name = subkey.path.slice(subkey.path.lastIndexOf('\\') + 1);
    const field = fields.get(name.toLowerCase());
    const fieldPath = [...path, name];
    if (field?.shape.kind === 'group') document[field.key] = documentFromKey(subkey, field.shape, fieldPath, issues);
    else if (field?.shape.kind === 'list') document[field.key] = listFromKey(subkey, fieldPath, issues);
    else issues.push({ path: fieldPath.join('.'), message: field ? `must be a value in ${key.path}, not a subkey` : `is not a Burrow policy (subkey ${subkey.path})` });
  }
  return document;
}

type Read = { value: unknown } | { issue: string };

function readValue(value: RegistryValue, field: PolicyField, keyPath: string): Read {
  const where = `in ${keyPath}`;
  const expect = (type: string): Read => ({ issue: `must be a ${type}, but ${describeValue(value)} ${where} is a ${value.type}` });
  const { shape } = field;
  switch (shape.kind) {
    case 'boolean':
      if (value.type !== 'REG_DWORD') return expect('REG_DWORD (1 for true, 0 for false)');
      return value.data === 0 || value.data === 1 ? { value: value.data === 1 } : { issue: `must be 0 or 1, but ${describeValue(value)} ${where} is ${value.data}` };
    case 'integer':
      return value.type === 'REG_DWORD' ? { value: value.data } : expect('REG_DWORD');
    case 'choice':
      if (shape.options.every((option) => typeof option === 'number')) return value.type === 'REG_DWORD' ? { value: value.data } : expect('REG_DWORD');
      return value.type === 'REG_SZ' ? { value: value.data } : expect('REG_SZ');
    case 'string':
      return value.type === 'REG_SZ' ? { value: value.data } : expect('REG_SZ');
    default:
      return jsonValue(value, where, expect);
  }
}

function jsonValue(value: RegistryValue, where: string, expect: (type: string) => Read): Read {
  let text: string;
  if (value.type === 'REG_SZ') text = value.data;
  else if (value.type === 'REG_MULTI_SZ') text = value.data.join('\n');
  else return expect('REG_SZ or REG_MULTI_SZ holding JSON');
  try {
    return { value: JSON.parse(text) as unknown };
  } catch (error) {
    return { issue: `must be JSON, but ${describeValue(value)} ${where} is not: ${(error as Error).message}` };
  }
}

function listFromKey(key: RegistryKey, path: string[], issues: FieldIssue[]): string[] {
  const entries: [number, string][] = [];
  for (const value of key.values) {
    const fieldPath = `${path.join('.')}[${value.name}]`;
    if (!/^[1-9]\d*$/.test(value.name)) issues.push({ path: fieldPath, message: `must be named 1, 2, 3…; ${describeValue(value)} in ${key.path} is not` });
    else if (value.type !== 'REG_SZ') issues.push({ path: fieldPath, message: `must be a REG_SZ, but value "${value.name}" in ${key.path} is a ${value.type}` });
    else entries.push([Number(value.name), value.data]);
  }
  for (const subkey of key.subkeys) issues.push({ path: path.join('.'), message: `is a list of values; ${subkey.path} should not exist` });
  return entries.sort(([a], [b]) => a - b).map(([, entry]) => entry);
}

function describeValue({ name }: RegistryValue): string {
  return name === '' ? 'the default value' : `value "${name}"`;
}
