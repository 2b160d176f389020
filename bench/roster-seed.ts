/** Gives a lab account a roster of many contacts on the server, through roster-seed-driver.ts in the lab's client namespace. */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { Lab } from '../lab/lab.js';
import type { Account } from '../lab/server.js';
import { runDriverInClient } from './driver-process.js';
import type { RosterSeedJob, RosterSeedRun } from './roster-seed-driver.js';

const driver = join(dirname(fileURLToPath(import.meta.url)), 'roster-seed-driver.js');

export interface SeededContact {
  jid: string;
  name: string;
}

/** `count` contacts at made-up addresses of the lab's domain, named so that they sort in their order. */
export function scaleContacts(lab: Lab, count: number): SeededContact[] {
  const width = String(count - 1).length;
  return Array.from({ length: count }, (_, index) => {
    const number = String(index).padStart(width, '0');
    return { jid: `scale-${number}@${lab.domain}`, name: `Scale contact ${number}` };
  });
}

/** Sets `contacts` in `account`'s roster over direct TLS; fails unless the server confirmed every one. */
export async function seedRoster(lab: Lab, account: Account, contacts: readonly SeededContact[]): Promise<RosterSeedRun> {
  const job: RosterSeedJob = {
    address: `xmpps://${lab.domain}:5223`,
    domain: lab.domain,
    caFile: lab.caFile,
    account,
    contacts,
    inFlight: 50,
  };
  const [run] = await runDriverInClient<RosterSeedRun>(lab, driver, job, 180_000);
  if (!run || run.error !== undefined || run.seeded !== contacts.length) {
    throw new Error(`seeding ${account.jid}'s roster set ${run?.seeded ?? 0} of ${contacts.length} contacts: ${run?.error ?? 'no answer from the driver'}`);
  }
  return run;
}
