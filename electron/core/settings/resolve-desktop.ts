/**
 * Which desktop setting applies, and why: built-in defaults < administrator defaults < the
 * user's choice < administrator locks, as for the connection settings (resolve.ts).
 */
import { builtInDesktopSettings, desktopKeys } from '../../common/settings/desktop.js';
import type { DesktopKey, DesktopOverrides, DesktopSettings } from '../../common/settings/desktop.js';
import type { Settings, SettingSource } from '../../common/settings/schema.js';
import type { AdministratorPolicy } from './policy.js';
import type { Sourced } from './resolve.js';

export type ResolvedDesktop = { [K in DesktopKey]: Sourced<DesktopSettings[K]> };

export function resolveDesktop(settings: Settings, policy: AdministratorPolicy): ResolvedDesktop {
  const layers: { source: SettingSource; values: DesktopOverrides }[] = [
    { source: 'default', values: builtInDesktopSettings },
    { source: 'admin-default', values: policy.desktopDefaults },
    { source: 'user', values: settings.desktop },
    { source: 'admin-locked', values: policy.desktopLocked },
  ];
  const entries = desktopKeys.map((key) => {
    // The built-in defaults define every key, so there is always a winner.
    const winner = layers.findLast(({ values }) => values[key] !== undefined);
    return [key, { value: winner?.values[key], source: winner?.source ?? 'default' }];
  });
  return Object.fromEntries(entries) as ResolvedDesktop;
}

/** The plain values of a resolution. */
export function desktopValues(resolved: ResolvedDesktop): DesktopSettings {
  return Object.fromEntries(desktopKeys.map((key) => [key, resolved[key].value])) as DesktopSettings;
}
