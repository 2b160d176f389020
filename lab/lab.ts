import type { ChildProcess, SpawnOptions } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint256, makeCertificates, serverKeyPair, type LabCertificates } from './certs.js';
import type { DnsZone } from './dns.js';
import { socksCredentials, startDante } from './dante.js';
import { applyFirewall, directPorts, killConnections, serverSynCount, type FirewallState } from './firewall.js';
import { ensureLabPackages, isRoot } from './install.js';
import { kerberosCredentials, kerberosFiles, kerberosRealm, proxyServicePrincipal, startKdc } from './kerberos.js';
import { markOwner, removeLeftovers, runDirPrefix } from './leftovers.js';
import { NamespaceProcess } from './namespace-process.js';
import { negotiateKeytab, startNegotiateSquid } from './negotiate-squid.js';
import { createNamespaces, execIn, listeningSockets, removeNamespace, spawnIn, writeNamespaceEtc } from './netns.js';
import { ntlmCredentials, ntlmLoginLog, startNtlmSquid } from './ntlm-squid.js';
import { pacPath, pacScript } from './pac.js';
import type { ProbeSpec } from './probes.js';
import { compiledLabScript } from './paths.js';
import { EjabberdServer, ejabberdEndpoints } from './ejabberd.js';
import { ProsodyServer, prosodyEndpoints } from './prosody.js';
import { readProxyLogins, type LoggingProxy, type ProxyLoginRecord } from './proxy-logins.js';
import { accounts, osLoginAccount, type Account, type ServerKind, type XmppServer } from './server.js';
import { waitUntil, type CommandResult } from './run.js';
import { findScenario, type Scenario, type ScenarioId } from './scenarios.js';
import { proxyCredentials, startSquid } from './squid.js';
import { backAddress, domain, frontAddress, hostKeys, hostNames, link, namespaces, ports, upload, type HostKey } from './topology.js';
import { unauthorizedProxyCredentials, unauthorizedProxyLog } from './unauthorized-proxy.js';
import type { RelaySpec } from './delay-relay.js';
import type { WorldAgentConfig } from './world-agent.js';

export { findScenario, scenarios, type Scenario, type ScenarioId } from './scenarios.js';
export { serverKinds, type Account, type ServerKind } from './server.js';
export { failedLogins, type LoggingProxy, type ProxyLoginRecord } from './proxy-logins.js';

export interface StartLabOptions {
  /** The scenario whose network to apply first (default S1); `applyScenario` switches later. */
  scenario?: ScenarioId;
  /** Delay each direction of the client's paths to the server and the proxies by this much. */
  delayMs?: number;
  /** Which XMPP server runs chat.lab.test (default prosody). */
  server?: ServerKind;
}

export interface ProxyEndpoint {
  url: string;
  host: string;
  port: number;
}

export interface AuthenticatedProxyEndpoint extends ProxyEndpoint {
  username: string;
  password: string;
}

export interface LabProxies {
  /** HTTP proxy allowing CONNECT to 443 only (S5, and the proxy S10's PAC names). */
  http: ProxyEndpoint;
  /** As `http`, with Basic authentication (S6). */
  httpAuth: AuthenticatedProxyEndpoint;
  /** HTTP proxy refusing every CONNECT, forwarding absolute-URI requests (S7). */
  httpNoConnect: ProxyEndpoint;
  /** HTTP proxy allowing CONNECT to any lab port, for benchmarks and manual tests. */
  httpOpen: ProxyEndpoint;
  /** SOCKS5 with user name and password (S9). */
  socks5: AuthenticatedProxyEndpoint;
  /** Squid offering only NTLM, CONNECT to 443 only; the user is "LAB\burrow" (S15). */
  ntlm: AuthenticatedProxyEndpoint;
  /** Answers CONNECT without a valid login with 401 and WWW-Authenticate: Basic; tunnels to 443 only (S16). */
  unauthorized: AuthenticatedProxyEndpoint;
  /**
   * Squid offering only Negotiate (Kerberos), CONNECT to 443 only (S15N); its user is the realm's,
   * as typed: "burrow" and the Kerberos password. Runs once a scenario that needs it has applied.
   */
  negotiate: AuthenticatedProxyEndpoint;
}

/** S15N's Kerberos realm, as a client in corp uses it. */
export interface LabKerberos {
  realm: string;
  /** "kdc.lab.test:88", over TCP. */
  kdc: string;
  /** The user's principal, "burrow@LAB.TEST", and its password (kinit's). */
  principal: string;
  password: string;
  /** The proxy's service principal, "HTTP/negotiateproxy.lab.test@LAB.TEST". */
  proxyService: string;
  /** What a Kerberos client needs in its environment: KRB5_CONFIG (the realm's krb5.conf in the run's folder). */
  env: Readonly<Record<string, string>>;
  /** The KDC's log: a line per ticket asked for; PREAUTH_FAILED for a wrong password. */
  kdcLog: string;
}

/** The lab's squids, by the folder each keeps its files and access log in. */
export const squidFolders = { main: 'squid', ntlm: 'squid-ntlm', negotiate: 'squid-negotiate' } as const;
export type LabSquid = keyof typeof squidFolders;

/** The certificate the XMPP server presents now. */
export interface ServerCertificate {
  /** PEM. */
  file: string;
  /** SHA-256, as Node prints it: "AB:CD:…". */
  fingerprint256: string;
}

export interface LabEndpoints {
  bosh: string;
  websocket: string;
  boshPlain: string;
  websocketPlain: string;
  hostMeta: string;
  hostMetaJson: string;
}

export interface Lab {
  readonly domain: string;
  /** Which XMPP server runs chat.lab.test. */
  readonly server: ServerKind;
  /** Host name → the address the client reaches it at. */
  readonly hosts: Readonly<Record<string, string>>;
  readonly ports: typeof ports;
  readonly accounts: readonly Account[];
  /** An account named after the operating-system login, as a policy's `{ "fromOsLogin": true }` gives it. */
  readonly osLoginAccount: Account;
  /** The lab CA's certificate, PEM; clients trust it as an additional CA. */
  readonly caFile: string;
  readonly proxies: LabProxies;
  readonly pacUrl: string;
  readonly delayMs: number;
  readonly scenario: Scenario;
  /** BOSH, WebSocket and host-meta URLs the server serves in the current scenario. */
  readonly endpoints: LabEndpoints;
  /** Where this run keeps its configuration and logs. */
  readonly dir: string;
  /** The XMPP server's log files, absolute; gone with `dir` once the lab stops. */
  readonly serverLogs: readonly string[];
  /** The certificate chat.lab.test presents in the current scenario (S17's is self-signed). */
  readonly serverCertificate: ServerCertificate;
  /** S15N's realm; its KDC runs once a scenario that needs it has applied. */
  readonly kerberos: LabKerberos;
  /**
   * Every login the NTLM proxy's domain-controller stand-in (S15) or the 401 proxy (S16) has seen
   * since the lab started, oldest first; `failedLogins(records)` counts the refused ones.
   */
  proxyLogins(proxy: LoggingProxy): ProxyLoginRecord[];
  /** Where that proxy logs its logins, one JSON line each. */
  proxyLoginLog(proxy: LoggingProxy): string;
  applyScenario(id: ScenarioId): Promise<void>;
  /**
   * S12: black-holes these server ports (default 5222 and 5223) both ways and silently kills the
   * live connections on them; the client only notices by its own keepalive. Replaces an earlier cut.
   */
  cut(serverPorts?: readonly number[]): Promise<void>;
  /** Lifts the cut: the scenario's own firewall again. */
  heal(): Promise<void>;
  /** Stops the XMPP server; `startServer` brings it back (storm checks keep it down for a while). */
  stopServer(): Promise<void>;
  startServer(): Promise<void>;
  restartServer(): Promise<void>;
  /** The room's process dies, its occupants untold: a ghost-maker for XEP-0410 self-ping (see XmppServer.crashRoom). */
  crashRoom(room: string): Promise<void>;
  /** A photo in the user's vCard alone, nothing in PEP, as a legacy client leaves it: false where the server cannot (see XmppServer). */
  storeVcardPhotoOnly(username: string, type: string, base64: string): Promise<boolean>;
  /** Connections corp has opened towards the XMPP server's ports (SYNs counted in world) since the last scenario change or cut. */
  serverConnectionCount(): Promise<number>;
  spawnInClient(command: string, args: readonly string[], options?: SpawnOptions): ChildProcess;
  /** `input`, when given, is the command's standard input (kinit reads the password there). */
  execInClient(command: string, args: readonly string[], timeoutMs?: number, input?: string): Promise<CommandResult>;
  execInWorld(command: string, args: readonly string[], timeoutMs?: number): Promise<CommandResult>;
  stop(): Promise<void>;
}

const readinessTimeoutMs = 20_000;
const chatPorts = [ports.xmpp, ports.xmppDirectTls, ports.http, ports.https, ports.alternateHttps];
/** The proxies that run from the lab's start; S15N's Negotiate proxy runs with its KDC, on demand. */
const proxyHosts: HostKey[] = ['proxy', 'authProxy', 'getOnlyProxy', 'openProxy', 'ntlmProxy', 'unauthorizedProxy'];

const serverEndpoints = { prosody: prosodyEndpoints, ejabberd: ejabberdEndpoints } as const;

let activeLab: LabInstance | undefined;

class LabInstance implements Lab {
  readonly domain = domain;
  readonly ports = ports;
  readonly accounts = accounts;
  readonly osLoginAccount = osLoginAccount;
  readonly hosts = labHosts(frontAddress);
  readonly pacUrl = `http://${hostNames.pac}${pacPath}`;
  readonly proxies: LabProxies = {
    http: proxyEndpoint('http', 'proxy', ports.proxy),
    httpAuth: { ...proxyEndpoint('http', 'authProxy', ports.proxy), ...proxyCredentials },
    httpNoConnect: proxyEndpoint('http', 'getOnlyProxy', ports.proxy),
    httpOpen: proxyEndpoint('http', 'openProxy', ports.proxy),
    socks5: { ...proxyEndpoint('socks5', 'socks', ports.socks), ...socksCredentials },
    ntlm: { ...proxyEndpoint('http', 'ntlmProxy', ports.proxy), ...ntlmCredentials },
    unauthorized: { ...proxyEndpoint('http', 'unauthorizedProxy', ports.proxy), ...unauthorizedProxyCredentials },
    negotiate: { ...proxyEndpoint('http', 'negotiateProxy', ports.proxy), ...kerberosCredentials },
  };
  caFile = '';
  private certs: LabCertificates | undefined;
  scenario: Scenario;
  private firewall: FirewallState;
  private xmpp: XmppServer | undefined;
  private readonly daemons: NamespaceProcess[] = [];
  private kerberosStarted = false;
  private stopped = false;
  private readonly onExit = (): void => this.teardown();
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.teardown();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };

  constructor(
    readonly dir: string,
    readonly delayMs: number,
    scenario: Scenario,
    readonly server: ServerKind,
  ) {
    this.scenario = scenario;
    this.firewall = { rules: scenario.firewall, transparentProxy: scenario.transparentProxy, cutPorts: [] };
    process.on('exit', this.onExit);
    process.on('SIGINT', this.onSignal);
    process.on('SIGTERM', this.onSignal);
  }

  get endpoints(): LabEndpoints {
    const variant = this.xmpp?.variant ?? this.scenario.server;
    return {
      ...serverEndpoints[this.server](variant),
      hostMeta: `https://${domain}/.well-known/host-meta`,
      hostMetaJson: `https://${domain}/.well-known/host-meta.json`,
    };
  }

  /** Where a service really listens: behind a relay when there is a delay. */
  private serviceAddress(host: HostKey): string {
    return this.delayMs > 0 ? backAddress(host) : frontAddress(host);
  }

  async start(): Promise<void> {
    const world = namespaces.world;
    const worldAddresses = hostKeys.flatMap((key) => (this.delayMs > 0 ? [frontAddress(key), backAddress(key)] : [frontAddress(key)]));
    createNamespaces(worldAddresses);
    writeNamespaceEtc(namespaces.corp, this.hosts);
    writeNamespaceEtc(world, labHosts((key) => this.serviceAddress(key)));
    await applyFirewall(world, this.firewall);

    const certs = await makeCertificates(this.dir, domain, [upload.domain]);
    this.certs = certs;
    this.caFile = certs.caFile;
    const Server = this.server === 'ejabberd' ? EjabberdServer : ProsodyServer;
    const xmpp = new Server(world, join(this.dir, this.server), this.serviceAddress('chat'), certs);
    this.xmpp = xmpp;
    const squidAt = {
      strict: this.serviceAddress('proxy'),
      auth: this.serviceAddress('authProxy'),
      noConnect: this.serviceAddress('getOnlyProxy'),
      open: this.serviceAddress('openProxy'),
      transparent: link.worldAddress,
    };
    const [squid, ntlmSquid, dante] = await Promise.all([
      startSquid(world, join(this.dir, squidFolders.main), squidAt),
      startNtlmSquid(world, join(this.dir, squidFolders.ntlm), this.serviceAddress('ntlmProxy')),
      startDante(world, this.dir, this.serviceAddress('socks'), link.worldAddress),
      xmpp.start(this.scenario.server),
    ]);
    this.daemons.push(squid, ntlmSquid, dante, this.startWorldAgent());

    const expected = [
      ...xmpp.listeningOn,
      ...proxyHosts.map((key) => `${this.serviceAddress(key)}:${ports.proxy}`),
      `${link.worldAddress}:${ports.transparentProxy}`,
      `${this.serviceAddress('socks')}:${ports.socks}`,
      `${frontAddress('pac')}:${ports.pac}`,
      ...this.relays().map((relay) => `${relay.listen.host}:${relay.listen.port}`),
    ];
    await this.waitForListening(expected);
    await this.warmUpServer();
    await this.startScenarioServices(this.scenario);
  }

  get kerberos(): LabKerberos {
    const files = kerberosFiles(join(this.dir, 'kerberos'));
    return {
      realm: kerberosRealm,
      kdc: `${hostNames.kdc}:${ports.kerberos}`,
      principal: `${kerberosCredentials.username}@${kerberosRealm}`,
      password: kerberosCredentials.password,
      proxyService: proxyServicePrincipal,
      env: { KRB5_CONFIG: files.config },
      kdcLog: files.kdcLog,
    };
  }

  /** What only some scenarios use, started the first time one of them applies and kept until the lab stops: S15N's KDC and Negotiate proxy. */
  private async startScenarioServices(scenario: Scenario): Promise<void> {
    if (!scenario.kerberos || this.kerberosStarted) return;
    this.kerberosStarted = true;
    const files = kerberosFiles(join(this.dir, 'kerberos'));
    const squidDir = join(this.dir, squidFolders.negotiate);
    const kdc = await startKdc(namespaces.world, files, this.serviceAddress('kdc'), negotiateKeytab(squidDir));
    this.daemons.push(kdc, startNegotiateSquid(namespaces.world, squidDir, this.serviceAddress('negotiateProxy'), files));
    await this.waitForListening([`${this.serviceAddress('kdc')}:${ports.kerberos}`, `${this.serviceAddress('negotiateProxy')}:${ports.proxy}`]);
  }

  /**
   * One stream over each of the server's client paths, from world, before any test: a server
   * just started (ejabberd's BEAM above all) answers its first handshake on a listener slowly,
   * and S1's race would then rightly let 443 overtake the direct ports. The outcomes do not
   * matter (a scenario's certificate may be refused); each probe is bounded.
   */
  private async warmUpServer(): Promise<void> {
    const target = (port: number) => ({ host: domain, port });
    const probes: ProbeSpec[] = [
      { kind: 'xmpp-direct-tls', target: target(ports.xmppDirectTls), domain, caFile: this.caFile },
      { kind: 'xmpp-starttls', target: target(ports.xmpp), domain, caFile: this.caFile },
      { kind: 'http', url: this.endpoints.hostMeta, caFile: this.caFile },
    ];
    await Promise.all(probes.map((probe) => execIn(namespaces.world, process.execPath, [compiledLabScript('probes.js'), JSON.stringify(probe)], 10_000).catch(() => undefined)));
  }

  private relays(): RelaySpec[] {
    if (this.delayMs <= 0) return [];
    const relayed: [HostKey, number[]][] = [
      ['chat', chatPorts],
      ...[...proxyHosts, 'negotiateProxy' as const].map((key): [HostKey, number[]] => [key, [ports.proxy]]),
      ['socks', [ports.socks]],
      ['kdc', [ports.kerberos]],
    ];
    return relayed.flatMap(([key, list]) =>
      list.map((port) => ({ listen: { host: frontAddress(key), port }, target: { host: backAddress(key), port } })),
    );
  }

  private startWorldAgent(): NamespaceProcess {
    const config: WorldAgentConfig = {
      pac: { host: frontAddress('pac'), port: ports.pac, script: pacScript(`${hostNames.proxy}:${ports.proxy}`) },
      dns: { host: link.worldAddress, zone: dnsZone(this.hosts) },
      unauthorizedProxy: {
        host: this.serviceAddress('unauthorizedProxy'),
        port: ports.proxy,
        ...unauthorizedProxyCredentials,
        realm: 'Burrow lab 401 proxy',
        logFile: join(this.dir, unauthorizedProxyLog),
        destinations: { networks: ['198.18.0.0/15'], ports: [ports.https] },
      },
      relays: this.relays(),
      delayMs: this.delayMs,
    };
    const args = [compiledLabScript('world-agent.js'), JSON.stringify(config)];
    return NamespaceProcess.start(namespaces.world, process.execPath, args, join(this.dir, 'world-agent.log'));
  }

  private async waitForListening(expected: readonly string[]): Promise<void> {
    let missing: string[] = [...expected];
    try {
      await waitUntil(
        'the lab services to listen',
        async () => {
          const dead = this.xmpp?.running === false ? this.server : this.daemons.find((daemon) => !daemon.running)?.name;
          if (dead) throw new Error(`${dead} exited during start`);
          const listening = await listeningSockets(namespaces.world);
          missing = expected.filter((socket) => !listening.has(socket));
          return missing.length === 0;
        },
        readinessTimeoutMs,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}; not listening: ${missing.join(', ')}${this.logTail()}`);
    }
  }

  storeVcardPhotoOnly(username: string, type: string, base64: string): Promise<boolean> {
    return this.xmpp?.storeVcardPhotoOnly(username, type, base64) ?? Promise.resolve(false);
  }

  get serverLogs(): string[] {
    return (this.xmpp?.logFiles ?? []).map((file) => join(this.dir, file));
  }

  get serverCertificate(): ServerCertificate {
    if (!this.certs) throw new Error('the lab has not made its certificates yet');
    const file = serverKeyPair(this.certs, (this.xmpp?.variant ?? this.scenario.server).certificate).certificate;
    return { file, fingerprint256: fingerprint256(file) };
  }

  proxyLoginLog(proxy: LoggingProxy): string {
    return join(this.dir, proxy === 'ntlm' ? join(squidFolders.ntlm, ntlmLoginLog) : unauthorizedProxyLog);
  }

  proxyLogins(proxy: LoggingProxy): ProxyLoginRecord[] {
    return readProxyLogins(this.proxyLoginLog(proxy));
  }

  private logTail(): string {
    const squidLogs = Object.values(squidFolders).map((folder) => `${folder}/cache.log`);
    const files = [...(this.xmpp?.logFiles ?? []), ...squidLogs, 'kerberos/kdc.log', 'kerberos/krb5kdc.out', 'danted.log', 'world-agent.log'];
    return files
      .map((file) => {
        try {
          return `\n--- ${file}\n${readFileSync(join(this.dir, file), 'utf8').split('\n').slice(-15).join('\n')}`;
        } catch {
          return '';
        }
      })
      .join('');
  }

  async applyScenario(id: ScenarioId): Promise<void> {
    const scenario = findScenario(id);
    const xmpp = this.requireServer();
    const variant = xmpp.variant;
    if (variant.certificate !== scenario.server.certificate || variant.endpoints !== scenario.server.endpoints) {
      await xmpp.stop();
      await xmpp.start(scenario.server);
      await this.waitForListening(xmpp.listeningOn);
    }
    await this.startScenarioServices(scenario);
    this.firewall = { rules: scenario.firewall, transparentProxy: scenario.transparentProxy, cutPorts: [] };
    await applyFirewall(namespaces.world, this.firewall);
    this.scenario = scenario;
  }

  async cut(serverPorts: readonly number[] = directPorts): Promise<void> {
    this.firewall = { ...this.firewall, cutPorts: serverPorts };
    await applyFirewall(namespaces.world, this.firewall);
    await killConnections(namespaces.world, serverPorts);
  }

  async heal(): Promise<void> {
    this.firewall = { ...this.firewall, cutPorts: [] };
    await applyFirewall(namespaces.world, this.firewall);
  }

  async stopServer(): Promise<void> {
    await this.requireServer().stop();
  }

  async startServer(): Promise<void> {
    const xmpp = this.requireServer();
    await xmpp.start(xmpp.variant);
    await this.waitForListening(xmpp.listeningOn);
  }

  async restartServer(): Promise<void> {
    await this.stopServer();
    await this.startServer();
  }

  crashRoom(room: string): Promise<void> {
    return this.requireServer().crashRoom(room);
  }

  serverConnectionCount(): Promise<number> {
    return serverSynCount(namespaces.world);
  }

  spawnInClient(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
    return spawnIn(namespaces.corp, command, args, { detached: false, stdio: 'pipe', ...options });
  }

  execInClient(command: string, args: readonly string[], timeoutMs?: number, input?: string): Promise<CommandResult> {
    return execIn(namespaces.corp, command, args, timeoutMs, input);
  }

  execInWorld(command: string, args: readonly string[], timeoutMs?: number): Promise<CommandResult> {
    return execIn(namespaces.world, command, args, timeoutMs);
  }

  async stop(): Promise<void> {
    await this.xmpp?.stop();
    this.teardown();
  }

  /** Synchronous, idempotent and safe to call from exit handlers: kills, deletes, removes. */
  teardown(): void {
    if (this.stopped) return;
    this.stopped = true;
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
    removeNamespace(namespaces.corp);
    removeNamespace(namespaces.world);
    rmSync(this.dir, { recursive: true, force: true });
    if (activeLab === this) activeLab = undefined;
  }

  private requireServer(): XmppServer {
    if (!this.xmpp || this.stopped) throw new Error('the lab is not running');
    return this.xmpp;
  }
}

/** Every lab host name and its address; the upload service is on chat.lab.test's. */
function labHosts(addressOf: (key: HostKey) => string): Record<string, string> {
  return { ...Object.fromEntries(hostKeys.map((key) => [hostNames[key], addressOf(key)])), [upload.domain]: addressOf('chat') };
}

/** What corp's resolver answers: the hosts file's names plus the XMPP SRV records (RFC 6120, XEP-0368). */
function dnsZone(hosts: Record<string, string>): DnsZone {
  const srv = (port: number) => [{ priority: 0, weight: 5, port, target: domain }];
  return { a: hosts, srv: { [`_xmpp-client._tcp.${domain}`]: srv(ports.xmpp), [`_xmpps-client._tcp.${domain}`]: srv(ports.xmppDirectTls) } };
}

function proxyEndpoint(scheme: string, key: HostKey, port: number): ProxyEndpoint {
  return { url: `${scheme}://${hostNames[key]}:${port}`, host: hostNames[key], port };
}

/**
 * Starts the whole lab: namespaces, certificates, the XMPP server (Prosody or ejabberd), the squids (the NTLM-only one
 * too), Dante, the PAC server, the 401 proxy and, with a delay, the relays; S15N's KDC and Negotiate-only squid only
 * once a scenario needs them. Removes an earlier run's leftovers first. Needs root.
 */
export async function startLab(options: StartLabOptions = {}): Promise<Lab> {
  if (!isRoot()) throw new Error('the lab needs root (network namespaces, iptables)');
  if (activeLab) throw new Error('a lab is already running in this process; stop it first');
  ensureLabPackages();
  removeLeftovers();
  const dir = mkdtempSync(join(tmpdir(), runDirPrefix));
  // Squid and Prosody's helpers drop privileges and still need to reach their files.
  chmodSync(dir, 0o755);
  markOwner(dir);
  const lab = new LabInstance(dir, options.delayMs ?? 0, findScenario(options.scenario ?? 'S1'), options.server ?? 'prosody');
  activeLab = lab;
  try {
    await lab.start();
  } catch (error) {
    lab.teardown();
    throw error;
  }
  return lab;
}
