/**
 * The Preferences form as pure data: what the user is editing, the values it shows, what is
 * wrong with it, and the `settings:save` request it turns into.
 *
 * The settings document stores overrides only (see electron/core/settings/resolve.ts), so a
 * field the user edits becomes an override, and every other value keeps being inherited.
 */
import { connectionKeys, flattenConnection, nestConnection, sameValue } from '../../../electron/common/settings/connection-keys.js';
import type { ConnectionKey, FlatConnection } from '../../../electron/common/settings/connection-keys.js';
import { desktopKeys, DesktopSettings } from '../../../electron/common/settings/desktop.js';
import type { DesktopKey, DesktopOverrides } from '../../../electron/common/settings/desktop.js';
import { fieldPath } from '../../../electron/common/settings/issues.js';
import { Community, ConnectionSettings, SETTINGS_VERSION } from '../../../electron/common/settings/schema.js';
import type { ConnectionOverrides } from '../../../electron/common/settings/schema.js';
import { secretKeys } from '../../../electron/common/settings/secret-keys.js';
import type { ResolvedConnection, SaveSettings, SettingsView } from '../../../electron/contract/contract.js';
import type { z } from 'zod';

export interface CommunityDraft {
  community: Community;
  /** From the administrator's policy; stored as the user's own only once it differs from it. */
  adminProvided: boolean;
}

export interface SettingsDraft {
  /** The user's global connection overrides. */
  connection: ConnectionOverrides;
  communities: CommunityDraft[];
  /** The user's desktop overrides: tray, start at login, away when idle. */
  desktop: DesktopOverrides;
  /** Passwords by secret key: a new one typed, or null to remove a stored one. */
  passwords: Record<string, string | null>;
}

export function draftFromView(view: SettingsView): SettingsDraft {
  return {
    connection: view.settings.connection,
    communities: view.communities.map(({ community, source }) => ({ community, adminProvided: source === 'admin-default' })),
    desktop: view.settings.desktop,
    passwords: {},
  };
}

function viewedCommunity(view: SettingsView, id: string): Community | undefined {
  return view.communities.find(({ community }) => community.id === id)?.community;
}

export function saveRequest(draft: SettingsDraft, view: SettingsView): SaveSettings {
  const communities = draft.communities
    .filter(({ community, adminProvided }) => !adminProvided || !sameValue(community, viewedCommunity(view, community.id)))
    .map(({ community }) => community);
  const passwords = Object.entries(draft.passwords)
    .filter(([, value]) => value !== '')
    .map(([key, value]) => ({ key, value }));
  // Trusted certificates are changed through their own requests; Burrow keeps them as stored.
  const { trustedCertificates } = view.settings;
  return { settings: { version: SETTINGS_VERSION, connection: draft.connection, communities, trustedCertificates, desktop: draft.desktop }, passwords };
}

export function isDirty(draft: SettingsDraft, view: SettingsView): boolean {
  return !sameValue(saveRequest(draft, view), saveRequest(draftFromView(view), view));
}

function isLocked(resolved: ResolvedConnection, key: ConnectionKey): boolean {
  return resolved[key]?.source === 'admin-locked';
}

/** The global connection values the form shows: locked values win, then the user's, then what is inherited. */
export function globalValues(view: SettingsView, draft: SettingsDraft): FlatConnection {
  const overrides = flattenConnection(draft.connection);
  const entries = connectionKeys.map((key) => [key, isLocked(view.global, key) ? view.global[key]?.value : (overrides[key] ?? view.global[key]?.value)]);
  return Object.fromEntries(entries) as FlatConnection;
}

/** The desktop values the form shows: locked values win, then the user's, then what is in effect. */
export function desktopFormValues(view: SettingsView, draft: SettingsDraft): DesktopSettings {
  const entries = desktopKeys.map((key) => [key, view.desktop[key]?.source === 'admin-locked' ? view.desktop[key].value : (draft.desktop[key] ?? view.desktop[key]?.value)]);
  return Object.fromEntries(entries) as DesktopSettings;
}

/** Sets one desktop override; as withOverride, a value equal to what the user would inherit is not stored unless it was. */
export function withDesktopOverride<K extends DesktopKey>(view: SettingsView, current: DesktopOverrides, key: K, value: DesktopSettings[K]): DesktopOverrides {
  const next = { ...current };
  if (view.settings.desktop[key] === undefined && sameValue(value, view.desktop[key]?.value)) delete next[key];
  else next[key] = value;
  return next;
}

/** A saved community's connection settings in effect, where its administrator locks show; the global ones for a new community. */
export function resolvedCommunityConnection(view: SettingsView, communityId: string): ResolvedConnection {
  return view.communities.find(({ community }) => community.id === communityId)?.connection ?? view.global;
}

/**
 * A community's connection values: its locked values, then the global ones, or (with "Use
 * global connection settings" off) its own over them.
 */
export function communityValues(view: SettingsView, draft: SettingsDraft, community: Community): FlatConnection {
  const global = globalValues(view, draft);
  const resolved = resolvedCommunityConnection(view, community.id);
  const overrides = community.useGlobalConnection ? {} : flattenConnection(community.connection);
  const entries = connectionKeys.map((key) => [key, isLocked(resolved, key) ? resolved[key]?.value : (overrides[key] ?? global[key])]);
  return Object.fromEntries(entries) as FlatConnection;
}

/** What the administrator locked of a saved community: its server fields, and whether it may be removed. */
export function communityLocks(view: SettingsView, communityId: string): { lockedFields: readonly string[]; removable: boolean } {
  return view.communities.find(({ community }) => community.id === communityId) ?? { lockedFields: [], removable: true };
}

/**
 * Sets one override. A value the layer did not store before and that equals what it inherits
 * stays unset, so that changing a field and changing it back leaves nothing to save.
 */
export function withOverride<K extends ConnectionKey>(
  current: ConnectionOverrides,
  stored: ConnectionOverrides,
  key: K,
  value: FlatConnection[K],
  inherited: unknown,
): ConnectionOverrides {
  const flat: Partial<FlatConnection> = flattenConnection(current);
  if (flattenConnection(stored)[key] === undefined && sameValue(value, inherited)) delete flat[key];
  else flat[key] = value;
  return nestConnection(flat);
}

export function storedOverrides(view: SettingsView, communityId?: string): ConnectionOverrides {
  if (communityId === undefined) return view.settings.connection;
  return viewedCommunity(view, communityId)?.connection ?? {};
}

/** Where a field's error is kept: `global.proxy.port`, `community.<id>.hostServer`, `community.<id>.connection.method`. */
export const errorKeys = {
  global: (key: string) => `global.${key}`,
  desktop: (key: string) => `desktop.${key}`,
  community: (id: string, path: string) => `community.${id}.${path}`,
};

export interface FieldProblem {
  key: string;
  /** The field's path within its place: `proxy.port`, `hostServer`, `connection.proxy.host`. */
  path: string;
  message: string;
  /** Absent for the global connection settings. */
  communityId?: string;
}

function problemsOf(error: z.ZodError, place: { prefix?: string; communityId?: string }): FieldProblem[] {
  return error.issues.map((issue) => {
    const path = `${place.prefix ?? ''}${fieldPath(issue.path)}`;
    return {
      key: place.communityId === undefined ? errorKeys.global(path) : errorKeys.community(place.communityId, path),
      path,
      // A number field left empty or holding text: zod's own wording is for programmers.
      message: issue.code === 'invalid_type' ? 'must be a whole number' : issue.message,
      ...(place.communityId === undefined ? {} : { communityId: place.communityId }),
    };
  });
}

/** Everything wrong with the draft, first problem per field, in the order the form shows them. */
export function validateDraft(view: SettingsView, draft: SettingsDraft): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const global = ConnectionSettings.safeParse(nestConnection(globalValues(view, draft)));
  if (!global.success) problems.push(...problemsOf(global.error, {}));
  const desktop = DesktopSettings.safeParse(desktopFormValues(view, draft));
  if (!desktop.success) {
    problems.push(...desktop.error.issues.map((issue) => ({ key: errorKeys.desktop(fieldPath(issue.path)), path: `desktop.${fieldPath(issue.path)}`, message: issue.message })));
  }
  for (const { community } of draft.communities) {
    const parsed = Community.safeParse(community);
    if (!parsed.success) problems.push(...problemsOf(parsed.error, { communityId: community.id }));
    if (community.useGlobalConnection) continue;
    const own = ConnectionSettings.safeParse(nestConnection(communityValues(view, draft, community)));
    if (!own.success) problems.push(...problemsOf(own.error, { communityId: community.id, prefix: 'connection.' }));
  }
  // A community's own proxy port can be flagged both as stored and as in effect: keep one.
  return problems.filter((problem, index) => problems.findIndex(({ key }) => key === problem.key) === index);
}

/** The secret keys a community's passwords are kept under. */
export function communitySecretKeys(id: string): string[] {
  return [secretKeys.communityPassword(id), secretKeys.communityProxyPassword(id)];
}
