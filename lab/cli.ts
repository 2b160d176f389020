/**
 * npm run lab [-- --scenario S5] [--delay-ms 25] [--server ejabberd]
 * Starts the network lab, prints what listens where, and stops it all on Ctrl+C.
 */
import { parseArgs } from 'node:util';
import { startLab, type Lab } from './lab.js';
import { findScenario, scenarios } from './scenarios.js';
import { parseServerKind, serverKinds } from './server.js';
import { namespaces } from './topology.js';

const usage = `Usage: npm run lab -- [--scenario ID] [--delay-ms N] [--server NAME]

  --scenario ID   apply one scenario's network (default S1): ${scenarios.map((s) => s.id).join(', ')}
  --delay-ms N    delay each direction of the client's paths to the server and proxies by N ms
  --server NAME   the XMPP server for chat.lab.test: ${serverKinds.join(' or ')} (default prosody)
  --help          show this help

Scenarios:
${scenarios.map((s) => `  ${s.id.padEnd(4)} ${s.network}`).join('\n')}`;

function describeLab(lab: Lab): string {
  const { scenario, proxies, endpoints, ports } = lab;
  const hostWidth = Math.max(...Object.keys(lab.hosts).map((h) => h.length)) + 2;
  return [
    `Burrow network lab is running — scenario ${scenario.id}: ${scenario.network}`,
    `  expected of Burrow: ${scenario.expected}`,
    lab.delayMs > 0 ? `  latency: ${lab.delayMs} ms each way on the client's paths` : '',
    '',
    `Client namespace: ${namespaces.corp}   run something there: ip netns exec ${namespaces.corp} <command>`,
    'Hosts (as the client resolves them):',
    ...Object.entries(lab.hosts).map(([host, address]) => `  ${host.padEnd(hostWidth)}${address}`),
    '',
    `XMPP server ${lab.domain} (${lab.server}):`,
    `  TCP + STARTTLS  ${lab.domain}:${ports.xmpp}`,
    `  direct TLS      ${lab.domain}:${ports.xmppDirectTls}`,
    `  BOSH            ${endpoints.bosh}   (plain: ${endpoints.boshPlain})`,
    `  WebSocket       ${endpoints.websocket}   (plain: ${endpoints.websocketPlain})`,
    `  host-meta       ${endpoints.hostMeta}   ${endpoints.hostMetaJson}`,
    `  DNS SRV         _xmpp-client._tcp.${lab.domain}, _xmpps-client._tcp.${lab.domain} (corp's resolver)`,
    '',
    'Proxies:',
    `  HTTP, CONNECT to 443 only   ${proxies.http.url}`,
    `  HTTP with Basic auth        ${proxies.httpAuth.url}   user ${proxies.httpAuth.username} / ${proxies.httpAuth.password}`,
    `  HTTP without CONNECT        ${proxies.httpNoConnect.url}`,
    `  HTTP, CONNECT to any port   ${proxies.httpOpen.url}`,
    `  SOCKS5                      ${proxies.socks5.url}   user ${proxies.socks5.username} / ${proxies.socks5.password}`,
    `  HTTP, NTLM only             ${proxies.ntlm.url}   user ${proxies.ntlm.username} / ${proxies.ntlm.password}`,
    `  HTTP, 401 on CONNECT        ${proxies.unauthorized.url}   user ${proxies.unauthorized.username} / ${proxies.unauthorized.password}`,
    `  HTTP, Negotiate only        ${proxies.negotiate.url}   Kerberos user ${lab.kerberos.principal} / ${lab.kerberos.password} (runs in S15N)`,
    `  PAC file                    ${lab.pacUrl}`,
    '',
    'Accounts:',
    ...lab.accounts.map((account) => `  ${account.jid.padEnd(24)}password ${account.password}`),
    '',
    `CA certificate (add as trusted CA): ${lab.caFile}`,
    `Server certificate now: ${lab.serverCertificate.file}   SHA-256 ${lab.serverCertificate.fingerprint256}`,
    `Configuration and logs: ${lab.dir}`,
    `Proxy logins (one JSON line each; "refused" is a failed login): ${lab.proxyLoginLog('ntlm')} (NTLM), ${lab.proxyLoginLog('unauthorized')} (401 proxy)`,
    ...(lab.scenario.kerberos
      ? [`Kerberos realm ${lab.kerberos.realm}, KDC ${lab.kerberos.kdc}: kinit in corp with ${Object.entries(lab.kerberos.env).map(([name, value]) => `${name}=${value}`).join(' ')}; the KDC logs in ${lab.kerberos.kdcLog}`]
      : []),
    '',
    'Press Ctrl+C to stop.',
  ]
    .filter((line, index, all) => line !== '' || all[index - 1] !== '')
    .join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'S1' },
      'delay-ms': { type: 'string', default: '0' },
      server: { type: 'string', default: 'prosody' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const scenario = findScenario(values.scenario);
  const server = parseServerKind(values.server);
  const delayMs = Number(values['delay-ms']);
  if (!Number.isInteger(delayMs) || delayMs < 0) throw new Error(`--delay-ms wants a whole number of milliseconds, not "${values['delay-ms']}"`);
  // The lab's own handlers tear everything down and exit; this only tells the user.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.prependListener(signal, () => console.log('\nstopping the lab…'));
  process.on('exit', () => console.log('lab stopped'));
  const lab = await startLab({ scenario: scenario.id, delayMs, server });
  console.log(describeLab(lab));
}

main().catch((error: unknown) => {
  console.error(`lab: ${(error as Error).message}`);
  process.exit(1);
});
