import type { CertificateKind, LabCertificates } from './certs.js';
import type { HttpEndpoints } from './host-meta.js';
import type { NamespaceProcess } from './namespace-process.js';
import { userInfo } from 'node:os';
import { domain, ports } from './topology.js';

/** The XMPP servers the lab can run as chat.lab.test; both are first-class. */
export const serverKinds = ['prosody', 'ejabberd'] as const;
export type ServerKind = (typeof serverKinds)[number];

export function parseServerKind(value: string): ServerKind {
  const kind = serverKinds.find((known) => known === value.toLowerCase());
  if (!kind) throw new Error(`unknown server "${value}"; known: ${serverKinds.join(', ')}`);
  return kind;
}

export interface Account {
  jid: string;
  username: string;
  password: string;
}

const labAccount = (username: string): Account => ({ jid: `${username}@${domain}`, username, password: `${username}-lab-password` });

export const accounts: readonly Account[] = ['alice', 'bob', 'carol'].map(labAccount);

/** Named after the operating-system login running the lab (and the Burrow in it), for a policy that takes the user name from it. */
export const osLoginAccount: Account = labAccount(userInfo().username.toLowerCase());

/** Every account the servers register. */
export const registeredAccounts: readonly Account[] = accounts.some(({ username }) => username === osLoginAccount.username) ? accounts : [...accounts, osLoginAccount];

/** What differs between scenarios on the server side. */
export interface ServerVariant {
  /** 'wrong-name' is S13's, 'self-signed' S17's. */
  certificate: CertificateKind;
  /** 'alternate' moves BOSH and WebSocket to non-default paths and adds port 7443 (S14). */
  endpoints: 'default' | 'alternate';
}

export interface WebPaths {
  bosh: string;
  websocket: string;
}

/** S14's paths, the same on every server: only host-meta tells a client where they are. */
export const alternatePaths: WebPaths = { bosh: '/lab-alt/bosh', websocket: '/lab-alt/websocket' };

export type ServerEndpoints = HttpEndpoints & { boshPlain: string; websocketPlain: string };

/** The endpoints a server with these default paths really serves, and announces in host-meta, for a variant. */
export function webEndpoints(defaultPaths: WebPaths, variant: ServerVariant): ServerEndpoints {
  const p = variant.endpoints === 'alternate' ? alternatePaths : defaultPaths;
  const secureOrigin = variant.endpoints === 'alternate' ? `${domain}:${ports.alternateHttps}` : domain;
  return {
    bosh: `https://${secureOrigin}${p.bosh}`,
    websocket: `wss://${secureOrigin}${p.websocket}`,
    boshPlain: `http://${domain}${p.bosh}`,
    websocketPlain: `ws://${domain}${p.websocket}`,
  };
}

/** The server ports a variant listens on: 5222, 5223, 80, 443, and 7443 for S14. */
export function serverPorts(variant: ServerVariant): number[] {
  const all: number[] = [ports.xmpp, ports.xmppDirectTls, ports.http, ports.https];
  if (variant.endpoints === 'alternate') all.push(ports.alternateHttps);
  return all;
}

/** chat.lab.test inside world, whichever server runs it, in the foreground; restartable with another variant. */
export abstract class XmppServer {
  abstract readonly kind: ServerKind;
  /** Its log files, relative to the lab's folder, for error messages. */
  abstract readonly logFiles: readonly string[];
  protected process: NamespaceProcess | undefined;
  variant: ServerVariant = { certificate: 'valid', endpoints: 'default' };

  constructor(
    protected readonly namespace: string,
    protected readonly dir: string,
    readonly address: string,
    protected readonly certs: LabCertificates,
  ) {}

  /** The sockets it listens on, as "address:port", for readiness checks. */
  get listeningOn(): string[] {
    return serverPorts(this.variant).map((port) => `${this.address}:${port}`);
  }

  get running(): boolean {
    return this.process?.running ?? false;
  }

  /** Starts it with the lab's accounts registered (on the first start). */
  abstract start(variant: ServerVariant): Promise<void>;
  abstract stop(): Promise<void>;
  /**
   * The room `room` (a bare JID on the rooms service) loses its occupants without telling them, as
   * when the process holding it dies: it comes back from storage, empty, with the next stanza for it.
   */
  abstract crashRoom(room: string): Promise<void>;

  /**
   * Stores a photo in `username`'s vCard behind the server's back, as a legacy client's would sit
   * there, with nothing published over PEP; false where the server has no such way in (Prosody keeps
   * vCards in PEP).
   */
  async storeVcardPhotoOnly(_username: string, _type: string, _base64: string): Promise<boolean> {
    return false;
  }
}
