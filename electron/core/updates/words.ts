/** What Burrow says about its own updates: the log line of the plan, and the notice of a ready update. */
import type { DeployedKind, UpdatePlan } from './plan.js';

const deployedBy: Record<DeployedKind, string> = {
  'windows-other': 'by an MSI package or copied unpacked: deploy the new version the same way',
  'linux-package': 'from a deb or rpm package: the package manager updates it',
  'linux-other': 'from an unpacked archive: unpack the new version in its place',
};

export function hoursOf(milliseconds: number): string {
  const hours = milliseconds / 3_600_000;
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

export function updatePlanWords(plan: UpdatePlan): string {
  if (plan.check) {
    const channel = plan.channel === undefined ? '' : ` on the ${plan.channel === 'latest' ? 'stable' : plan.channel} channel`;
    return `Updates: checking now and every ${hoursOf(plan.everyMs)}${channel}.`;
  }
  switch (plan.reason) {
    case 'not-packaged':
      return 'Updates: off, this run is not a packaged build.';
    case 'turned-off-by-policy':
      return 'Updates: off, turned off by the administrator\'s policy ("updates": { "enabled": false }).';
    case 'no-update-feed':
      return 'Updates: off, this build names no update server (npm run dist -- --update-url URL).';
    case 'deployed-installation':
      return `Updates: off, Burrow was installed ${deployedBy[plan.kind]}.`;
  }
}

export function updateReadyWords(version: string): string {
  return `Burrow ${version} has been downloaded. It is installed when you quit Burrow, or now with Help › Restart to Update.`;
}
