/**
 * npm run diagnose -- ADDRESS [--method M] [--proxy URL] [--pac URL] [--ca FILE] [--allow-unencrypted]
 *                     [--domain D] [--user U --password P] [--deadline MS]
 * Prints the live timeline of the race and exits 0 when connected (and authenticated, given a user), 1 otherwise.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { connectToCommunity } from './connect.js';
import type { ConnectRequest } from './connect.js';
import type { ConnectionMethod } from './plan.js';
import type { AttemptEvent } from './race.js';
import { parseProxyUrl } from './routes/proxy-url.js';
import { environmentProxyResolver, pacUrlResolver } from './routes/system-proxy.js';

const methods: ConnectionMethod[] = ['automatic', 'direct-tcp', 'direct-http', 'system-proxy', 'proxy'];

function describeEvent({ type, atMs, record }: AttemptEvent): string {
  const cause = record.cause && type !== 'started' ? ` — ${record.cause.text}` : '';
  return `${String(atMs).padStart(6)} ms  ${type.padEnd(9)} ${record.path}${cause}`;
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      method: { type: 'string' },
      proxy: { type: 'string' },
      pac: { type: 'string' },
      ca: { type: 'string', multiple: true },
      'allow-unencrypted': { type: 'boolean', default: false },
      domain: { type: 'string' },
      user: { type: 'string' },
      password: { type: 'string' },
      deadline: { type: 'string' },
    },
  });
  const [address] = positionals;
  if (!address) {
    console.error('usage: npm run diagnose -- ADDRESS [--method M] [--proxy URL] [--pac URL] [--ca FILE] [--allow-unencrypted]');
    return 1;
  }
  const method = (values.method ?? (values.proxy ? 'proxy' : values.pac ? 'system-proxy' : 'automatic')) as ConnectionMethod;
  if (!methods.includes(method)) {
    console.error(`--method must be one of ${methods.join(', ')}`);
    return 1;
  }
  const systemProxy = values.pac
    ? await pacUrlResolver(values.pac)
    : method === 'system-proxy'
      ? environmentProxyResolver()
      : undefined;
  const request: ConnectRequest = {
    address,
    method,
    allowUnencrypted: values['allow-unencrypted'],
    onEvent: (event) => console.log(describeEvent(event)),
    ...(values.domain ? { domain: values.domain } : {}),
    ...(values.proxy ? { proxy: parseProxyUrl(values.proxy) } : {}),
    ...(systemProxy ? { systemProxy } : {}),
    ...(values.ca ? { trust: { extraCas: values.ca.map((file) => readFileSync(file, 'utf8')) } } : {}),
    ...(values.deadline ? { deadlineMs: Number(values.deadline) } : {}),
  };

  console.log(`connecting to ${address} (${method})`);
  const { plan, discovery, result } = await connectToCommunity(request);
  for (const problem of discovery?.problems ?? []) console.log(`  discovery: ${problem}`);
  for (const { candidate } of plan.excluded) console.log(`  left out (unencrypted): ${candidate.endpoint.host}:${candidate.endpoint.port}`);
  if (!result.connected) {
    console.log(`FAILED: ${result.diagnosis.summary}`);
    for (const hint of result.diagnosis.hints) console.log(`  ${hint}`);
    return 1;
  }
  console.log(`CONNECTED in ${result.elapsedMs} ms over ${result.winner.path}`);
  const { client } = result.connection;
  try {
    if (values.user) {
      const startedAt = Date.now();
      await client.authenticate({ username: values.user, password: values.password ?? '' });
      console.log(`AUTHENTICATED as ${client.entity.jid?.toString() ?? '?'} in ${Date.now() - startedAt} ms`);
    }
    return 0;
  } catch (error) {
    console.log(`AUTHENTICATION FAILED: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await client.entity.stop().catch(() => {});
  }
}

process.exitCode = await main(process.argv.slice(2));
