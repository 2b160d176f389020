import type { ServerVariant } from './server.js';
import { ports, type HostKey } from './topology.js';

export type ScenarioId = 'S1' | 'S2' | 'S3' | 'S4' | 'S5' | 'S6' | 'S7' | 'S8' | 'S9' | 'S10' | 'S11' | 'S12' | 'S13' | 'S14' | 'S15' | 'S15N' | 'S16' | 'S17';

/** One rule for traffic from corp into world; the first match decides, no match means accept. */
export interface FirewallRule {
  action: 'accept' | 'reject' | 'drop';
  host?: HostKey;
  ports?: readonly number[];
}

export interface Scenario {
  id: ScenarioId;
  /** The network, as LAB.md's matrix words it. */
  network: string;
  /** What Burrow must do there, as LAB.md's matrix words it. */
  expected: string;
  firewall: readonly FirewallRule[];
  /** NAT port 80 of chat.lab.test to the intercepting squid (S8). */
  transparentProxy: boolean;
  server: ServerVariant;
  /** Needs the Kerberos realm's KDC and the Negotiate-only squid (S15N): started the first time such a scenario applies. */
  kerberos: boolean;
}

const direct = [ports.xmpp, ports.xmppDirectTls];
const blockEverythingElse: FirewallRule = { action: 'drop' };
const validServer: ServerVariant = { certificate: 'valid', endpoints: 'default' };

function scenario(id: ScenarioId, network: string, expected: string, options: Partial<Omit<Scenario, 'id' | 'network' | 'expected'>> = {}): Scenario {
  return { id, network, expected, firewall: [], transparentProxy: false, server: validServer, kerberos: false, ...options };
}

/** LAB.md's scenario matrix, with the network each row needs. Blocked means DROP unless a row says refused. */
export const scenarios: readonly Scenario[] = [
  scenario('S1', 'open', 'connected; direct TLS or TCP+STARTTLS wins'),
  scenario('S2', '5222 and 5223 refused (RST)', 'connected over 443 (wss or BOSH over HTTPS); fallback starts at once on the refusal', {
    firewall: [{ action: 'reject', host: 'chat', ports: direct }],
  }),
  scenario('S3', '5222 and 5223 black-holed (DROP)', 'connected over 443 within one attempt delay of starting, not after a timeout', {
    firewall: [{ action: 'drop', host: 'chat', ports: direct }],
  }),
  scenario(
    'S4',
    'only port 80 open',
    'default settings: no connection, and a diagnosis saying only unencrypted HTTP is reachable and how to allow it; with "Allow unencrypted HTTP tunnelling": connected over BOSH or ws on 80',
    { firewall: [{ action: 'accept', host: 'chat', ports: [ports.http] }, blockEverythingElse] },
  ),
  scenario(
    'S5',
    'no direct access; explicit HTTP proxy allowing CONNECT to 443 only; method "Use proxy" (HTTP)',
    'connected through CONNECT to 443; the refused CONNECTs to 5222/5223 cost no waiting',
    { firewall: [{ action: 'accept', host: 'proxy', ports: [ports.proxy] }, blockEverythingElse] },
  ),
  scenario(
    'S6',
    'as S5 with Basic proxy authentication',
    'right credentials: connected; wrong: a clear "proxy authentication failed" error after one try per route, no retry storm',
    { firewall: [{ action: 'accept', host: 'authProxy', ports: [ports.proxy] }, blockEverythingElse] },
  ),
  scenario(
    'S7',
    'no direct access; method "Use proxy" with a proxy refusing every CONNECT',
    'with unencrypted tunnelling allowed: connected over BOSH through the proxy (absolute-URI requests); without: a clear diagnosis',
    { firewall: [{ action: 'accept', host: 'getOnlyProxy', ports: [ports.proxy] }, blockEverythingElse] },
  ),
  scenario('S8', 'transparent intercepting proxy on port 80 that strips `Upgrade`; 443 open', '`ws://` on 80 fails fast and is reported; connected over 443', {
    firewall: [{ action: 'drop', host: 'chat', ports: direct }],
    transparentProxy: true,
  }),
  scenario('S9', 'no direct access; method "Use proxy" (SOCKS5) with user name and password', 'connected through SOCKS over an encrypted path, whichever the race picks', {
    firewall: [{ action: 'accept', host: 'socks', ports: [ports.socks] }, blockEverythingElse],
  }),
  scenario(
    'S10',
    'no direct access; "Use my system proxy settings" with a PAC file (`PROXY proxy:3128; DIRECT`)',
    'connected through the proxy the PAC names',
    {
      firewall: [
        { action: 'accept', host: 'pac', ports: [ports.pac] },
        { action: 'accept', host: 'proxy', ports: [ports.proxy] },
        blockEverythingElse,
      ],
    },
  ),
  scenario('S11', 'everything blocked', 'failure within the overall deadline, with every attempt and its cause in the diagnosis', {
    firewall: [blockEverythingElse],
  }),
  scenario(
    'S12',
    'connected directly (5222 or 5223), then both ports are black-holed and the connection cut mid-session',
    'detected, reconnected over 443, session resumed; every message sent before, during and after the cut delivered exactly once, in order',
  ),
  scenario('S13', "the server's certificate does not match its name", "refused with the certificate's details; no fallback to a weaker path", {
    server: { certificate: 'wrong-name', endpoints: 'default' },
  }),
  scenario(
    'S14',
    'the server publishes its BOSH and WebSocket endpoints on non-default ports/paths in host-meta',
    'discovered and used without the user typing them',
    {
      // Only host-meta's endpoints carry XMPP: direct ports and plain HTTP are closed, 443 serves host-meta.
      firewall: [{ action: 'drop', host: 'chat', ports: [...direct, ports.http] }],
      server: { certificate: 'valid', endpoints: 'alternate' },
    },
  ),
  scenario(
    'S15',
    'no direct access; "Use proxy" with a proxy offering only NTLM',
    "right credentials: connected; wrong: a message naming NTLM; ≤ 1 failed login per race (proxy's log)",
    { firewall: [{ action: 'accept', host: 'ntlmProxy', ports: [ports.proxy] }, blockEverythingElse] },
  ),
  scenario(
    'S15N',
    'no direct access; "Use proxy" with a proxy offering only Negotiate (Kerberos), the realm\'s KDC reachable',
    'with a user name and password typed: not connected, a message naming Negotiate and what the user can do (ask IT), no credentials sent, no retries',
    {
      firewall: [
        { action: 'accept', host: 'negotiateProxy', ports: [ports.proxy] },
        { action: 'accept', host: 'kdc', ports: [ports.kerberos] },
        blockEverythingElse,
      ],
      kerberos: true,
    },
  ),
  scenario(
    'S16',
    'no direct access; a proxy that answers CONNECT with 401 and `WWW-Authenticate`',
    'right credentials: connected; wrong: "the proxy\'s login failed"',
    { firewall: [{ action: 'accept', host: 'unauthorizedProxy', ports: [ports.proxy] }, blockEverythingElse] },
  ),
  scenario(
    'S17',
    "the server's certificate is self-signed",
    'refused with its fingerprint; trusted on explicit confirmation, connected; trust removed, refused again',
    { server: { certificate: 'self-signed', endpoints: 'default' } },
  ),
];

export function findScenario(id: string): Scenario {
  const found = scenarios.find((s) => s.id === id.toUpperCase());
  if (!found) throw new Error(`unknown scenario "${id}"; known: ${scenarios.map((s) => s.id).join(', ')}`);
  return found;
}
