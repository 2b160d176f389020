/** `npm run start:browser`: runs the core and serves the UI to a browser. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createCore } from '../core/index.js';
import { loadPolicy, machinePolicyPath, MemorySecretStore, PolicyError, readPlatformPolicies } from '../core/settings/index.js';
import { errorWords } from '../contract/error-words.js';
import { startHost } from './host.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.BURROW_PORT ?? '5199' },
    'data-dir': { type: 'string', default: process.env.BURROW_DATA_DIR ?? path.join(os.homedir(), '.config', 'Burrow-browser') },
    'renderer-dir': { type: 'string', default: path.join(projectRoot, 'dist', 'renderer') },
    /** Administrator policy files, applied after the machine-wide one (as an installer's would be). */
    policy: { type: 'string', multiple: true, default: process.env.BURROW_POLICY ? [process.env.BURROW_POLICY] : [] },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid --port ${JSON.stringify(values.port)}: give a number from 0 to 65535 (0 picks a free port).`);
  process.exit(2);
}

const { version } = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string };
const policy = await loadPolicy([machinePolicyPath(), ...values.policy], readPlatformPolicies).catch((error: unknown) => {
  if (!(error instanceof PolicyError)) throw error;
  console.error(`Burrow did not start: ${error.message}`);
  process.exit(1);
});
// Browser mode has no OS keychain to reach: passwords are kept for this run only.
const core = await createCore({ dataDir: values['data-dir'], mode: 'browser', version, secrets: new MemorySecretStore(), policy });
const host = await startHost({ core, rendererDir: values['renderer-dir'], port, onQuit: () => void stop() }).catch((error: NodeJS.ErrnoException) => {
  const reason = error.code === 'EADDRINUSE' ? `port ${port} is in use; choose another with --port N (0 picks a free one)` : errorWords(error);
  console.error(`Burrow could not start browser mode: ${reason}.`);
  process.exit(1);
});
// The address carries this run's secret: only who sees this output may open Burrow.
console.log(`Burrow is running in browser mode at ${host.entryUrl}`);
console.log(`Data folder: ${core.info.dataDir}. Press Ctrl+C to stop.`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await host.close();
  await core.close();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
