/**
 * npm run demo [-- --server ejabberd]
 * The network lab (S1, an open network) with two instances of Burrow in browser mode, alice's and
 * bob's, signed in and each other's contacts, for a newcomer to open in their own browser.
 * Ctrl+C stops it all.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { errorWords } from '../electron/contract/error-words.js';
import { connectToHost } from './contract-client.js';
import { makeContacts, signIn, type DemoPerson } from './demo-accounts.js';
import { startDemoInstance } from './demo-instance.js';
import { labUnavailableReason } from './install.js';
import { startLab, type Account, type Lab } from './lab.js';
import { parseServerKind, serverKinds } from './server.js';

const usage = `Usage: npm run demo -- [--server NAME]

  --server NAME   the XMPP server for chat.lab.test: ${serverKinds.join(' or ')} (default prosody)
  --help          show this help

Needs root on Linux: the lab makes network namespaces and firewall rules.`;

function describeDemo(lab: Lab, people: readonly { account: Account; entryUrl: string }[], logDir: string): string {
  const width = Math.max(...people.map(({ account }) => account.jid.length)) + 3;
  return [
    `Burrow demo is running: two Burrows in browser mode, signed in to ${lab.domain} (${lab.server}) in the network lab's open network.`,
    '',
    'Open each address in your browser (they carry this run\'s secret: keep them to yourself):',
    ...people.map(({ account, entryUrl }) => `  ${account.jid.padEnd(width)}${entryUrl}`),
    '',
    'They are each other\'s contacts: pick the other one under Contacts and write.',
    `Logs: ${logDir}`,
    'Press Ctrl+C to stop.',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { server: { type: 'string', default: 'prosody' }, help: { type: 'boolean', default: false } } });
  if (values.help) {
    console.log(usage);
    return;
  }
  const server = parseServerKind(values.server);
  const unavailable = labUnavailableReason();
  if (unavailable) {
    console.error(`demo: cannot start here: ${unavailable}`);
    process.exitCode = 1;
    return;
  }
  // The lab's own handlers stop everything (the instances live in its namespace and folder) and exit.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.prependListener(signal, () => console.log('\nstopping the demo…'));
  process.on('exit', () => console.log('demo stopped'));

  const lab = await startLab({ scenario: 'S1', server });
  const logDir = join(lab.dir, 'demo');
  mkdirSync(logDir);
  const caPem = readFileSync(lab.caFile, 'utf8');
  const [alice, bob] = await Promise.all(
    lab.accounts.slice(0, 2).map(async (account) => {
      const entryUrl = await startDemoInstance(account.username, logDir);
      const person: DemoPerson & { entryUrl: string } = { account, entryUrl, client: await connectToHost(entryUrl) };
      await signIn(person, lab.domain, caPem);
      return person;
    }),
  );
  if (!alice || !bob) throw new Error('the lab has fewer than two accounts');
  await makeContacts(lab.domain, alice, bob);
  for (const { client } of [alice, bob]) client.close();
  console.log(describeDemo(lab, [alice, bob], logDir));
}

main().catch((error: unknown) => {
  console.error(`demo: ${errorWords(error)}`);
  process.exit(1);
});
