/**
 * Administrator locks on writes. Resolution already lets locks win; this refuses a write that
 * tries to change a locked value, so the user is told instead of seeing the change vanish.
 */
import { connectionKeys, flattenConnection, sameValue } from '../../common/settings/connection-keys.js';
import type { ConnectionKey } from '../../common/settings/connection-keys.js';
import { mergeOverrides, type AdministratorPolicy } from './policy.js';
import { desktopKeys } from '../../common/settings/desktop.js';
import type { Community, ConnectionOverrides, Settings } from '../../common/settings/schema.js';

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

function changedLockedKeys(locks: ConnectionOverrides, before: ConnectionOverrides, after: ConnectionOverrides): ConnectionKey[] {
  const [locked, was, now] = [flattenConnection(locks), flattenConnection(before), flattenConnection(after)];
  return connectionKeys
    .filter((key) => locked[key] !== undefined && now[key] !== undefined)
    .filter((key) => !sameValue(now[key], was[key]) && !sameValue(now[key], locked[key]));
}

/** Desktop settings the administrator locked that `next` sets to another value than before and than the lock. */
function changedLockedDesktopKeys(policy: AdministratorPolicy, current: Settings, next: Settings): string[] {
  const locked = policy.desktopLocked;
  return desktopKeys
    .filter((key) => locked[key] !== undefined && next.desktop[key] !== undefined)
    .filter((key) => next.desktop[key] !== current.desktop[key] && next.desktop[key] !== locked[key])
    .map((key) => `desktop.${key}`);
}

/** A locked community's fields that `next` changes: its locked server fields, and its connection under both kinds of lock. */
function changedCommunityFields(policy: AdministratorPolicy, before: Community | undefined, next: Community): string[] {
  const fromPolicy = policy.communities.find(({ id }) => id === next.id);
  const lock = policy.communityLocks[next.id];
  const serverFields = (lock?.fields ?? []).filter(
    (field) => next[field] !== undefined && !sameValue(next[field], before?.[field]) && !sameValue(next[field], fromPolicy?.[field]),
  );
  const connection = changedLockedKeys(mergeOverrides(policy.locked, lock?.connection ?? {}), before?.connection ?? {}, next.connection);
  return [...serverFields, ...connection.map((key) => `connection.${key}`)];
}

/**
 * Throws LockedSettingError naming every locked field `next` changes, and every locked
 * community it removes. Leaving a value as it was, clearing it, or writing exactly the locked
 * value is allowed: none of them changes what applies.
 */
export function assertWritable(policy: AdministratorPolicy, current: Settings, next: Settings): void {
  const currentCommunities = new Map([...policy.communities, ...current.communities].map((community) => [community.id, community]));
  const nextIds = new Set(next.communities.map(({ id }) => id));
  const fields = [
    ...changedLockedKeys(policy.locked, current.connection, next.connection).map((key) => `connection.${key}`),
    ...changedLockedDesktopKeys(policy, current, next),
    ...next.communities.flatMap((community, index) =>
      changedCommunityFields(policy, currentCommunities.get(community.id), community).map((field) => `communities[${index}].${field}`),
    ),
    ...current.communities.filter(({ id }) => policy.communityLocks[id] && !nextIds.has(id)).map(({ id }) => `community "${id}" (removed)`),
  ];
  if (fields.length > 0) throw new LockedSettingError(fields);
}
