/**
 * The system's Chromium inside the lab's client namespace, as a user behind that network runs
 * it, driven by Playwright: over a pipe, so the browser can live in the namespace. For the e2e
 * specs in the lab and the scale bench.
 */
import { chromium, type Browser } from '@playwright/test';
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { namespaces } from './topology.js';

const systemChromium = '/usr/bin/chromium';
const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/**
 * `workDir` keeps the wrapper script that enters the namespace; the caller removes it after closing
 * the browser. `options` adds command-line switches and environment (a proxy, Kerberos' files).
 */
export async function launchChromiumInLab(workDir: string, options: { args?: readonly string[]; env?: Record<string, string> } = {}): Promise<Browser> {
  const chromiumInLab = path.join(workDir, 'chromium-in-lab');
  await writeFile(chromiumInLab, `#!/bin/sh\nexec ip netns exec ${namespaces.corp} ${systemChromium} "$@"\n`);
  await chmod(chromiumInLab, 0o755);
  return chromium.launch({ executablePath: chromiumInLab, args: [...chromiumArgs, ...(options.args ?? [])], ...(options.env ? { env: { ...process.env, ...options.env } } : {}) });
}
