/**
 * `npm run demo` as a newcomer uses it: it prints two addresses, and each opens, in a browser on
 * the machine's own network (outside the lab), a Burrow already signed in — alice's and bob's,
 * each other's contacts. alice writes, bob reads. Ctrl+C then leaves no namespace, process or
 * temp folder behind.
 */
import type { Page } from '@playwright/test';

import { exitOf, startCli, type CliProcess } from '../lab/cli-process.js';
import { labUnavailableReason } from '../lab/install.js';
import { isRunning, labRemains } from '../lab/leftovers.js';
import { namespacePids } from '../lab/netns.js';
import { namespaces } from '../lab/topology.js';
import { expect, test } from './fixtures.js';

const domain = 'chat.lab.test';
/** Starting the lab, two hosts, two sign-ins and a subscription each way. */
const startTimeoutMs = 120_000;
const stopTimeoutMs = 15_000;

/** "  alice@chat.lab.test   http://127.0.0.1:PORT/?secret=…" → jid → address. */
function printedAddresses(output: string): Map<string, string> {
  return new Map([...output.matchAll(/^ {2}(\S+@\S+)\s+(http:\/\/127\.0\.0\.1:\d+\/\?secret=\S+)$/gm)].map(([, jid, url]) => [jid!, url!]));
}

async function stopDemo({ child }: CliProcess): Promise<number | null> {
  const exited = exitOf(child);
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

test.describe('npm run demo', () => {
  test.skip(({ burrowMode }) => burrowMode === 'electron', 'the demo runs browser mode; the browser project covers it');
  const unavailable = labUnavailableReason();
  test.skip(!!unavailable && !process.env.CI, `the network lab cannot run here: ${unavailable}`);

  test('opens two signed-in Burrows in a browser outside the lab, and Ctrl+C leaves nothing behind', async ({ browser }) => {
    if (unavailable) throw new Error(`the lab is required in CI but cannot run: ${unavailable}`);
    test.setTimeout(startTimeoutMs + 60_000);
    const demo = await startCli('demo.js', [], startTimeoutMs);
    let stopped = false;
    try {
      const addresses = printedAddresses(demo.output());
      const [aliceUrl, bobUrl] = [addresses.get(`alice@${domain}`), addresses.get(`bob@${domain}`)];
      if (!aliceUrl || !bobUrl) throw new Error(`the demo printed no address for alice and bob:\n${demo.output()}`);

      // One browser, two tabs, as a newcomer would open them: each host's cookie is its own.
      const context = await browser.newContext();
      const open = async (url: string, jid: string): Promise<Page> => {
        const page = await context.newPage();
        await page.goto(url);
        await expect(page.getByRole('status', { name: domain })).toContainText('Connected · ');
        await expect(page.getByRole('status', { name: domain })).toContainText(jid);
        return page;
      };
      const alice = await open(aliceUrl, `alice@${domain}`);
      const bob = await open(bobUrl, `bob@${domain}`);
      const contact = (page: Page, jid: string) => page.getByRole('list', { name: 'Contacts' }).getByRole('button', { name: jid });

      await contact(alice, `bob@${domain}`).click();
      const composer = alice.getByRole('textbox', { name: 'Message' });
      await composer.fill('hello bob, from the demo');
      await composer.press('Enter');
      await contact(bob, `alice@${domain}`).click();
      await expect(bob.getByRole('log', { name: `Messages with alice@${domain}` })).toContainText('hello bob, from the demo');
      await alice.screenshot({ path: test.info().outputPath('alice.png') });
      await bob.screenshot({ path: test.info().outputPath('bob.png') });
      await context.close();

      const started = [...namespacePids(namespaces.corp), ...namespacePids(namespaces.world)];
      expect(started.length, 'processes in the lab').toBeGreaterThan(0);
      stopped = true;
      expect(await stopDemo(demo)).toBe(130);
      expect(demo.output()).toContain('demo stopped');
      expect(labRemains(), 'namespaces, /etc/netns files, temp dirs').toEqual([]);
      expect(started.filter(isRunning), 'processes still running').toEqual([]);
    } finally {
      if (!stopped) await stopDemo(demo);
    }
  });
});
