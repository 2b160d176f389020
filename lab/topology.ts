/**
 * The lab's address plan. Two namespaces joined by one veth pair: the client runs in corp,
 * everything else in world. Every service has a front address (what corp's hosts file names)
 * on world's loopback; with a delay, the service itself moves to a back address and a delay
 * relay listens on the front one. All addresses are in 198.18.0.0/15 and exist only here.
 */
export const namespaces = { corp: 'burrow-corp', world: 'burrow-world' } as const;

export const link = {
  corpInterface: 'burrow-c0',
  worldInterface: 'burrow-w0',
  corpAddress: '198.18.0.2',
  worldAddress: '198.18.0.1',
  prefixLength: 24,
} as const;

export const hostNames = {
  chat: 'chat.lab.test',
  proxy: 'proxy.lab.test',
  authProxy: 'authproxy.lab.test',
  getOnlyProxy: 'getproxy.lab.test',
  openProxy: 'openproxy.lab.test',
  /** Squid offering only NTLM (S15). */
  ntlmProxy: 'ntlmproxy.lab.test',
  /** The lab's own proxy answering CONNECT with 401 and WWW-Authenticate (S16). */
  unauthorizedProxy: 'proxy401.lab.test',
  /** Squid offering only Negotiate (Kerberos), for S15N; started with that scenario. */
  negotiateProxy: 'negotiateproxy.lab.test',
  /** The Kerberos KDC of realm LAB.TEST (MIT krb5kdc), for S15N; started with that scenario. */
  kdc: 'kdc.lab.test',
  socks: 'socks.lab.test',
  pac: 'pac.lab.test',
} as const;

export type HostKey = keyof typeof hostNames;

/**
 * The HTTP File Upload service (XEP-0363) each server runs beside the domain: a name of its own, on
 * chat.lab.test's address and HTTPS port and in its certificate, as a deployment would have it.
 */
export const upload = { domain: `upload.${hostNames.chat}`, sizeLimit: 8 * 1024 * 1024 } as const;

const hostNumbers: Record<HostKey, number> = {
  chat: 10,
  proxy: 20,
  authProxy: 21,
  getOnlyProxy: 22,
  openProxy: 23,
  ntlmProxy: 24,
  unauthorizedProxy: 25,
  negotiateProxy: 26,
  kdc: 27,
  socks: 30,
  pac: 40,
};

export const frontAddress = (host: HostKey): string => `198.18.1.${hostNumbers[host]}`;
export const backAddress = (host: HostKey): string => `198.19.1.${hostNumbers[host]}`;
export const hostKeys = Object.keys(hostNames) as HostKey[];

export const ports = {
  xmpp: 5222,
  xmppDirectTls: 5223,
  http: 80,
  https: 443,
  /** S14's non-default HTTPS port, announced only through host-meta. */
  alternateHttps: 7443,
  proxy: 3128,
  /** Where the intercepting proxy listens; corp never addresses it, NAT redirects port 80 to it. */
  transparentProxy: 3129,
  socks: 1080,
  /** Kerberos (the KDC), over TCP. */
  kerberos: 88,
  pac: 80,
} as const;

export const domain = hostNames.chat;

/** The group chat service (XEP-0045) each server runs beside the domain; clients reach it through their own server, so it needs no address. */
export const roomsDomain = `rooms.${domain}`;
