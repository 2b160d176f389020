/** Whether Burrow checks for its own updates, on which channel and how often: pure, from the facts main gathers. */
import type { UpdatesPolicy } from '../settings/policy-schema.js';
import type { InstallKind, Installation } from './installation.js';

export const UPDATE_CHECK_INTERVAL_MS = 4 * 60 * 60 * 1000;

/** electron-updater's channel names: its stable channel is "latest". */
export type UpdateChannel = 'latest' | 'beta';

export type UpdatePlan =
  /** `channel` undefined: the channel the installed version came from. */
  | { check: true; channel: UpdateChannel | undefined; everyMs: number }
  | { check: false; reason: 'not-packaged' | 'turned-off-by-policy' | 'no-update-feed' }
  | { check: false; reason: 'deployed-installation'; kind: DeployedKind };

/** Installations their deployment updates (a new MSI, the package manager), not Burrow. */
export type DeployedKind = Exclude<InstallKind, SelfUpdatingKind>;
type SelfUpdatingKind = 'nsis' | 'appimage' | 'macos';

export interface UpdateFacts {
  /** `app.isPackaged`: a development run has nothing to update. */
  packaged: boolean;
  installation: Installation;
  policy: UpdatesPolicy;
}

function isSelfUpdating(kind: InstallKind): kind is SelfUpdatingKind {
  return kind === 'nsis' || kind === 'appimage' || kind === 'macos';
}

export function updatePlan({ packaged, installation, policy }: UpdateFacts): UpdatePlan {
  if (!packaged) return { check: false, reason: 'not-packaged' };
  if (policy.enabled === false) return { check: false, reason: 'turned-off-by-policy' };
  if (!isSelfUpdating(installation.kind)) return { check: false, reason: 'deployed-installation', kind: installation.kind };
  if (!installation.hasUpdateFeed) return { check: false, reason: 'no-update-feed' };
  return { check: true, channel: policy.channel && channelNames[policy.channel], everyMs: UPDATE_CHECK_INTERVAL_MS };
}

const channelNames: Record<NonNullable<UpdatesPolicy['channel']>, UpdateChannel> = { stable: 'latest', beta: 'beta' };
