/**
 * A Burrow core for one account, driven over stdin/stdout: the lab's messaging tests and the
 * messaging bench run it inside the lab's client namespace, where the test process cannot go.
 * Speaks the contract as JSON lines: requests `{ id, channel, payload }` in, and out
 * `{ id, outcome }` answers and `{ event, payload }` for every core event. One request is the
 * driver's own, not the contract's: `driver:cpuUsage` answers with this process's `process.cpuUsage()`.
 *
 *   node dist/bench/core-driver.js '{"dataDir":…,"community":{…},"password":…,"caFile":…}'
 */
import { createInterface } from 'node:readline';

import { dispatch } from '../electron/contract/validate.js';
import { SETTINGS_VERSION, type Community } from '../electron/common/settings/schema.js';
import { secretKeys } from '../electron/common/settings/secret-keys.js';
import { createCore } from '../electron/core/core.js';
import { MemorySecretStore } from '../electron/core/settings/secrets.js';
import { cpuUsageChannel } from './driver-requests.js';

export interface DriverConfig {
  dataDir: string;
  community: Pick<Community, 'id' | 'displayName' | 'hostServer' | 'username'> & Partial<Community>;
  password: string;
  /** The community's own proxy password (its connection settings name the proxy and user). */
  proxyPassword?: string;
  caFile: string;
  keepalive?: { intervalMs: number; timeoutMs: number };
  backoff?: { baseMs: number; capMs: number };
}

export type DriverOutput = { ready: true } | { id: number; outcome: unknown } | { event: string; payload: unknown };

const config = JSON.parse(process.argv[2] ?? '{}') as DriverConfig;
const secrets = new MemorySecretStore();
await secrets.set(secretKeys.communityPassword(config.community.id), config.password);
if (config.proxyPassword !== undefined) await secrets.set(secretKeys.communityProxyPassword(config.community.id), config.proxyPassword);
const core = await createCore({
  dataDir: config.dataDir,
  mode: 'browser',
  version: 'driver',
  secrets,
  ...(config.keepalive ? { keepalive: config.keepalive } : {}),
  ...(config.backoff ? { backoff: config.backoff } : {}),
});
// One write per turn of the event loop, not per line: a burst of messages is thousands of events,
// and a write each was a good part of the CPU the bench then counted against the core.
const printing: string[] = [];
const flushPrinted = () => void process.stdout.write(printing.splice(0).join(''));
const print = (output: DriverOutput) => {
  if (printing.length === 0) setImmediate(flushPrinted);
  printing.push(`${JSON.stringify(output)}\n`);
};
core.events.subscribe((event, payload) => print({ event, payload }));
core.settings.store.write({
  version: SETTINGS_VERSION,
  connection: { trustedCaFiles: [config.caFile] },
  communities: [{ useGlobalConnection: true, connection: {}, ...config.community }],
});
core.events.emit('settings:changed', await core.settings.view());
print({ ready: true });

const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  const { id, channel, payload } = JSON.parse(line) as { id: number; channel: string; payload: unknown };
  if (channel === cpuUsageChannel) return print({ id, outcome: { ok: true, value: process.cpuUsage() } });
  void dispatch(core.handlers, channel, payload).then((outcome) => print({ id, outcome }));
});
input.on('close', () =>
  void core.close().then(() => {
    flushPrinted();
    process.exit(0);
  }),
);
