/**
 * The settings document: what the user chose, stored by conf / electron-store.
 *
 * Connection settings are stored as *overrides*: only the values the user set. That keeps
 * "not set" distinct from "set to the built-in default", so administrator defaults still
 * apply to everything the user has not chosen (see resolve.ts). No Node imports: the contract
 * and the renderer's inline validation share these schemas.
 */
import { z } from 'zod';
import { DesktopOverrides } from './desktop.js';
import { hasMoreThanAHost, hostSyntaxHint, isDnsName, isHost, proxyHostHint } from './host.js';

export const SETTINGS_VERSION = 4;

export const connectionMethods = ['automatic', 'direct-tcp', 'direct-http', 'system-proxy', 'proxy'] as const;
export const proxyTypes = ['http', 'https', 'socks4', 'socks5'] as const;
/** Where a resolved value came from, lowest first (see core/settings/resolve.ts). */
export const settingSources = ['default', 'admin-default', 'user', 'community', 'admin-locked'] as const;
export type SettingSource = (typeof settingSources)[number];

export const addressSchemes = ['xmpp', 'xmpps', 'ws', 'wss', 'http', 'https'] as const;

const portMessage = 'must be a whole number from 1 to 65535';
export const Port = z.int({ error: portMessage }).min(1, { error: portMessage }).max(65535, { error: portMessage });

export const Host = z.string().refine(isHost, { error: hostSyntaxHint });
/**
 * The proxy host, which may stay empty until "Use proxy" is chosen. A proxy is often given as a URL
 * or host:port: the hint says where its parts go (Preferences offers to put them there).
 */
const ProxyHost = z.string().superRefine((text, context) => {
  if (text === '' || isHost(text)) return;
  context.addIssue({ code: 'custom', message: hasMoreThanAHost(text) ? proxyHostHint : hostSyntaxHint });
});

const pemBlock = String.raw`-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----`;
export const PemCertificate = z.string().regex(new RegExp(String.raw`^\s*${pemBlock}\s*$`), { error: 'must be one PEM certificate (-----BEGIN CERTIFICATE----- …)' });
/** Zero or more PEM certificates, as pasted into Preferences. */
const PemCertificates = z.string().regex(new RegExp(String.raw`^\s*(?:${pemBlock}\s*)*$`), { error: 'must hold PEM certificates (-----BEGIN CERTIFICATE----- …)' });

/** A certificate's SHA-256 fingerprint as Node and browsers show it: "AB:CD:…", 32 bytes. */
export const Sha256Fingerprint = z.string().regex(/^[0-9A-F]{2}(?::[0-9A-F]{2}){31}$/, { error: 'must be a SHA-256 fingerprint (32 hex bytes separated by colons)' });

const PacUrl = z.string().refine((text) => text === '' || /^(?:https?|file):\/\//.test(text) && URL.canParse(text), {
  error: 'must be an http://, https:// or file:// URL',
});

export const ProxyFields = z.strictObject({
  type: z.enum(proxyTypes),
  host: ProxyHost,
  port: Port,
  username: z.string(),
  /** Let the proxy resolve the server's name (SOCKS4a/5h; HTTP proxies always do). */
  resolveThroughProxy: z.boolean(),
});
export type ProxyFields = z.infer<typeof ProxyFields>;

const ConnectionFields = z.strictObject({
  method: z.enum(connectionMethods),
  proxy: ProxyFields,
  allowUnencrypted: z.boolean(),
  attemptDelayMs: z.int().min(0, { error: 'must be 0 ms or more' }).max(10_000, { error: 'must be 10000 ms or less' }),
  deadlineMs: z.int().min(1_000, { error: 'must be 1000 ms or more' }).max(300_000, { error: 'must be 300000 ms or less' }),
  /** PEM files of additional trusted certificate authorities. */
  trustedCaFiles: z.array(z.string().min(1, { error: 'must be a file path' })),
  /** Additional trusted certificate authorities pasted as PEM. */
  trustedCaPem: PemCertificates,
  /** The PAC script for "Use my system proxy settings" in plain Node (Electron asks the OS). */
  pacUrl: PacUrl,
});

/** Effective connection settings: every value present and consistent. */
export const ConnectionSettings = ConnectionFields.superRefine((settings, context) => {
  if (settings.method === 'proxy' && settings.proxy.host === '') {
    context.addIssue({ code: 'custom', path: ['proxy', 'host'], message: 'is required for "Use proxy"' });
  }
});
export type ConnectionSettings = z.infer<typeof ConnectionSettings>;
export type ConnectionMethod = ConnectionSettings['method'];
export type ProxyType = ProxyFields['type'];

export const builtInConnectionSettings: ConnectionSettings = {
  method: 'automatic',
  proxy: { type: 'http', host: '', port: 8080, username: '', resolveThroughProxy: true },
  allowUnencrypted: false,
  attemptDelayMs: 250,
  deadlineMs: 20_000,
  trustedCaFiles: [],
  trustedCaPem: '',
  pacUrl: '',
};

/** Connection values one layer sets (user, community, administrator); absent means "inherit". */
export const ConnectionOverrides = ConnectionFields.extend({ proxy: ProxyFields.partial() }).partial();
export type ConnectionOverrides = z.infer<typeof ConnectionOverrides>;

/** Host server: a host name, or an address URL such as `wss://chat.example.com/xmpp-websocket`. */
const HostServer = z.string().refine((text) => (text.includes('://') ? isAddressUrl(text) : isHost(text)), {
  error: `${hostSyntaxHint}, or an address such as xmpps://chat.example.com or wss://chat.example.com/xmpp-websocket`,
});

function isAddressUrl(text: string): boolean {
  const url = URL.parse(text);
  const scheme = url?.protocol.slice(0, -1);
  return url !== null && addressSchemes.some((known) => known === scheme) && isHost(url.hostname);
}

/** A community's fields, before the checks across them (see Community); the policy's communities extend them. */
export const CommunityFields = z.strictObject({
  /** Stable identifier; also names the community's secrets (`community:<id>:password`). */
  id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { error: 'must be 1–64 letters, digits, dots, hyphens or underscores' }),
  displayName: z.string().trim().min(1, { error: 'is required' }),
  hostServer: HostServer,
  port: Port.optional(),
  xmppDomain: z.string().refine(isDnsName, { error: 'must be a domain name such as example.com' }).optional(),
  username: z.string().default(''),
  useGlobalConnection: z.boolean().default(true),
  /** This community's own connection values, used when useGlobalConnection is off. */
  connection: ConnectionOverrides.default({}),
});

export function checkPortGivenOnce(community: { hostServer: string; port?: number | undefined }, context: z.RefinementCtx): void {
  if (community.port !== undefined && community.hostServer.includes('://') && new URL(community.hostServer).port !== '') {
    context.addIssue({ code: 'custom', path: ['port'], message: 'is already given in the host server address; give it in one place' });
  }
}

export const Community = CommunityFields.superRefine(checkPortGivenOnce);

/** A community's own fields an administrator can lock (besides its connection method and proxy). */
export const lockableServerFields = ['hostServer', 'port', 'xmppDomain'] as const;
export type LockableServerField = (typeof lockableServerFields)[number];
export type Community = z.infer<typeof Community>;

/** A list of communities, each id used once. */
export function uniqueCommunities<T extends z.ZodType<{ id: string }>>(community: T) {
  return z.array(community).superRefine((communities, context) => {
    const seen = new Set<string>();
    communities.forEach(({ id }, index) => {
      if (seen.has(id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `"${id}" is used by another community` });
      seen.add(id);
    });
  });
}

export const Communities = uniqueCommunities(Community);

/** A server certificate the user chose to trust after seeing its fingerprint ("Trust this certificate…"). */
export const TrustedCertificate = z.strictObject({
  fingerprint256: Sha256Fingerprint,
  /** What the user saw, to recognise it in Preferences: its subject and the name it was refused for. */
  subject: z.string(),
  expectedName: z.string(),
  notAfter: z.string(),
  /** ISO 8601. */
  trustedAt: z.string(),
});
export type TrustedCertificate = z.infer<typeof TrustedCertificate>;

export const Settings = z.strictObject({
  version: z.literal(SETTINGS_VERSION),
  connection: ConnectionOverrides.default({}),
  communities: Communities.default([]),
  /**
   * By community id. Written only through the contract's certificates:trust and
   * certificates:forget, which check what the user was shown; settings:save keeps them as stored.
   */
  trustedCertificates: z.record(z.string(), z.array(TrustedCertificate)).default({}),
  /** Tray, start at login and away when idle (see desktop.ts). */
  desktop: DesktopOverrides.default({}),
});
export type Settings = z.infer<typeof Settings>;

export const defaultSettings: Settings = { version: SETTINGS_VERSION, connection: {}, communities: [], trustedCertificates: {}, desktop: {} };

/** The same schema for conf / electron-store, which validate with ajv (zod's refinements are not carried over). */
export const settingsJsonSchema = z.toJSONSchema(Settings, { io: 'output', target: 'draft-2020-12' });
