/**
 * Which value applies, and why. Lowest first: built-in defaults < administrator defaults <
 * user global settings < the community's own settings (when "Use global connection settings"
 * is off) < administrator locks < the administrator's locks on that community.
 */
import { connectionKeys, flattenConnection, nestConnection, sameValue } from '../../common/settings/connection-keys.js';
import type { ConnectionKey, FlatConnection } from '../../common/settings/connection-keys.js';
import type { AdministratorPolicy } from './policy.js';
import { builtInConnectionSettings } from '../../common/settings/schema.js';
import type { Community, ConnectionOverrides, ConnectionSettings, Settings, SettingSource } from '../../common/settings/schema.js';

export interface Sourced<T> {
  value: T;
  source: SettingSource;
}

export type ResolvedConnection = { [K in ConnectionKey]: Sourced<FlatConnection[K]> };

export interface ResolvedCommunity {
  community: Community;
  /** 'admin-default' for a community from the policy the user has not edited. */
  source: 'admin-default' | 'user';
}

interface Layer {
  source: SettingSource;
  values: ConnectionOverrides;
}

/** The user's version of a policy community, with the fields the administrator locked as the policy says. */
function withLockedFields(edited: Community, fromPolicy: Community, policy: AdministratorPolicy): Community {
  const community: Community = { ...edited };
  for (const field of policy.communityLocks[fromPolicy.id]?.fields ?? []) {
    if (fromPolicy[field] === undefined) delete community[field];
    else Object.assign(community, { [field]: fromPolicy[field] });
  }
  return community;
}

/** The policy's communities first, each replaced by the user's own version once edited (locked fields excepted), then the user's. */
export function resolveCommunities(settings: Settings, policy: AdministratorPolicy): ResolvedCommunity[] {
  const userCommunities = new Map(settings.communities.map((community) => [community.id, community]));
  const fromPolicy = policy.communities.map((community): ResolvedCommunity => {
    const edited = userCommunities.get(community.id);
    return edited ? { community: withLockedFields(edited, community, policy), source: 'user' } : { community, source: 'admin-default' };
  });
  const policyIds = new Set(policy.communities.map(({ id }) => id));
  const userOnly = settings.communities.filter(({ id }) => !policyIds.has(id)).map((community): ResolvedCommunity => ({ community, source: 'user' }));
  return [...fromPolicy, ...userOnly];
}

function findCommunity(settings: Settings, policy: AdministratorPolicy, communityId: string): Community {
  const found = resolveCommunities(settings, policy).find(({ community }) => community.id === communityId);
  if (!found) throw new Error(`There is no community "${communityId}"`);
  return found.community;
}

function layersFor(settings: Settings, policy: AdministratorPolicy, communityId?: string): Layer[] {
  const community = communityId === undefined ? undefined : findCommunity(settings, policy, communityId);
  return [
    { source: 'default', values: builtInConnectionSettings },
    { source: 'admin-default', values: policy.defaults },
    { source: 'user', values: settings.connection },
    ...(community && !community.useGlobalConnection ? [{ source: 'community' as const, values: community.connection }] : []),
    { source: 'admin-locked', values: policy.locked },
    ...(communityId === undefined ? [] : [{ source: 'admin-locked' as const, values: policy.communityLocks[communityId]?.connection ?? {} }]),
  ];
}

function resolveLayers(layers: readonly Layer[]): ResolvedConnection {
  const flatLayers = layers.map(({ source, values }) => ({ source, values: flattenConnection(values) }));
  const entries = connectionKeys.map((key) => {
    const winner = flatLayers.findLast(({ values }) => values[key] !== undefined);
    // The built-in defaults define every key, so there is always a winner.
    return [key, { value: winner?.values[key], source: winner?.source ?? 'default' }];
  });
  return Object.fromEntries(entries) as ResolvedConnection;
}

/** The global connection settings, or those of one community, each value with its source. */
export function resolveConnection(settings: Settings, policy: AdministratorPolicy, communityId?: string): ResolvedConnection {
  return resolveLayers(layersFor(settings, policy, communityId));
}

/** The plain values of a resolution, as the connection manager takes them. */
export function connectionValues(resolved: ResolvedConnection): ConnectionSettings {
  const flat = Object.fromEntries(connectionKeys.map((key) => [key, resolved[key].value])) as FlatConnection;
  return nestConnection(flat) as ConnectionSettings;
}

/**
 * What a layer should store for a Preferences form of complete values: only the values that
 * differ from what it would inherit, and none that are locked. Storing the rest would pin
 * today's administrator defaults for good.
 */
export function overridesFrom(values: ConnectionSettings, inherited: ResolvedConnection, policy: AdministratorPolicy): ConnectionOverrides {
  const locked = flattenConnection(policy.locked);
  const flat = flattenConnection(values);
  const kept = connectionKeys.filter((key) => locked[key] === undefined && !sameValue(flat[key], inherited[key].value));
  return nestConnection(Object.fromEntries(kept.map((key) => [key, flat[key]])));
}

/** What the user's global settings inherit: built-in and administrator defaults, without the user's own values. */
export function inheritedByUser(policy: AdministratorPolicy): ResolvedConnection {
  return resolveLayers([
    { source: 'default', values: builtInConnectionSettings },
    { source: 'admin-default', values: policy.defaults },
  ]);
}
