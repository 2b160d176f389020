/**
 * The lab's own helpers inside world, in one Node process: the PAC server, the DNS server, the
 * proxy answering CONNECT with 401 (S16) and the delay relays.
 * Started by the lab as `node dist/lab/world-agent.js '<json config>'`.
 */
import { startDelayRelay, type RelaySpec } from './delay-relay.js';
import { startDnsServer, type DnsZone } from './dns.js';
import { startPacServer } from './pac.js';
import { startUnauthorizedProxy, type UnauthorizedProxyConfig } from './unauthorized-proxy.js';

export interface WorldAgentConfig {
  pac: { host: string; port: number; script: string };
  dns: { host: string; zone: DnsZone };
  unauthorizedProxy: UnauthorizedProxyConfig;
  relays: RelaySpec[];
  delayMs: number;
}

const config = JSON.parse(process.argv[2] ?? '{}') as WorldAgentConfig;
await startPacServer(config.pac.host, config.pac.port, config.pac.script);
await startDnsServer(config.dns.host, config.dns.zone);
await startUnauthorizedProxy(config.unauthorizedProxy);
await Promise.all(config.relays.map((relay) => startDelayRelay(relay, config.delayMs)));
console.log(`world agent ready: PAC on ${config.pac.host}:${config.pac.port}, DNS on ${config.dns.host}, 401 proxy on ${config.unauthorizedProxy.host}:${config.unauthorizedProxy.port}, ${config.relays.length} relays of ${config.delayMs} ms`);
