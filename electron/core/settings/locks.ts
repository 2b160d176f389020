/**
 * Administrator locks on writes. Resolution already lets locks win; this refuses a write that
 * tries to change a locked value, so the user is told instead of seeing the change vanish.
 */
import { connectionKeys, flattenConnection, sameValue } from '../../common/settings/connection-keys.js';
import type { ConnectionKey } from '../../common/settings/connection-keys.js';
import type { AdministratorPolicy } from './policy.js';
import type { ConnectionOverrides, Settings } from '../../common/settings/schema.js';

/** Thrown for writes to locked keys; the contract answers it with 'forbidden'. */
export class LockedSettingError extends Error {
  override name = 'LockedSettingError';

  constructor(readonly fields: string[]) {
    super(`Set by your administrator and cannot be changed: ${fields.join(', ')}`);
  }
}

export function isLocked(policy: AdministratorPolicy, key: ConnectionKey): boolean {
  return flattenConnection(policy.locked)[key] !== undefined;
}

export function lockedKeys(policy: AdministratorPolicy): ConnectionKey[] {
  return connectionKeys.filter((key) => isLocked(policy, key));
}

/**
 * Throws LockedSettingError naming every locked field `next` changes. Leaving a value as it
 * was, clearing it, or writing exactly the locked value is allowed: none of them changes what
 * applies.
 */
export function assertWritable(policy: AdministratorPolicy, current: Settings, next: Settings): void {
  const locked = flattenConnection(policy.locked);
  const changedLockedFields = (prefix: string, before: ConnectionOverrides, after: ConnectionOverrides): string[] => {
    const [was, now] = [flattenConnection(before), flattenConnection(after)];
    return connectionKeys
      .filter((key) => locked[key] !== undefined && now[key] !== undefined)
      .filter((key) => !sameValue(now[key], was[key]) && !sameValue(now[key], locked[key]))
      .map((key) => `${prefix}.${key}`);
  };
  const currentCommunities = new Map([...policy.communities, ...current.communities].map((community) => [community.id, community]));
  const fields = [
    ...changedLockedFields('connection', current.connection, next.connection),
    ...next.communities.flatMap((community, index) =>
      changedLockedFields(`communities[${index}].connection`, currentCommunities.get(community.id)?.connection ?? {}, community.connection),
    ),
  ];
  if (fields.length > 0) throw new LockedSettingError(fields);
}
