/**
 * Pure migrations of the settings document, one per version step. Each step works on the
 * shape its source version had, frozen here — never on today's schema — so an old file
 * migrates the same way forever.
 */
import { z } from 'zod';
import { fieldIssues, SettingsValidationError } from '../../common/settings/issues.js';
import { SETTINGS_VERSION } from '../../common/settings/schema.js';
import { secretKeys } from '../../common/settings/secret-keys.js';

/** Secrets a migration lifted out of the document, by secret key; the caller moves them to the SecretStore. */
export type ExtractedSecrets = Record<string, string>;

export interface MigrationStep {
  document: Record<string, unknown>;
  secrets: ExtractedSecrets;
}

export interface MigrationOutcome extends MigrationStep {
  fromVersion: number;
}

export class UnsupportedVersionError extends Error {
  override name = 'UnsupportedVersionError';

  constructor(readonly version: number) {
    super(`The settings were written by a newer Burrow (settings version ${version}); this Burrow understands up to version ${SETTINGS_VERSION}.`);
  }
}

// ---- v1 → v2 -------------------------------------------------------------------------------
// v1 kept every connection value, defaults included, and the proxy as one URL — which also
// carried the proxy password into the settings file. v2 splits the URL into fields, moves the
// password to the secret store, and keeps only the values that differ from the defaults, so
// administrator defaults apply to everything the user never chose.

const ConnectionV1 = z.object({
  method: z.enum(['automatic', 'direct-tcp', 'direct-http', 'system-proxy', 'proxy']),
  proxyUrl: z.string(),
  allowUnencrypted: z.boolean(),
  attemptDelayMs: z.number(),
  deadlineMs: z.number(),
  trustedCaFiles: z.array(z.string()),
  pacUrl: z.string(),
});
type ConnectionV1 = z.infer<typeof ConnectionV1>;

const SettingsV1 = z.object({
  version: z.literal(1),
  connection: ConnectionV1,
  communities: z.array(z.looseObject({ id: z.string(), connection: ConnectionV1 })),
});

const defaultsV1: ConnectionV1 = {
  method: 'automatic',
  proxyUrl: '',
  allowUnencrypted: false,
  attemptDelayMs: 250,
  deadlineMs: 20_000,
  trustedCaFiles: [],
  pacUrl: '',
};

const proxySchemesV1 = {
  'http:': { type: 'http', port: 80 },
  'https:': { type: 'https', port: 443 },
  'socks4:': { type: 'socks4', port: 1080, resolveThroughProxy: false },
  'socks4a:': { type: 'socks4', port: 1080, resolveThroughProxy: true },
  'socks5:': { type: 'socks5', port: 1080, resolveThroughProxy: false },
  'socks5h:': { type: 'socks5', port: 1080, resolveThroughProxy: true },
} as const;

interface SplitProxy {
  proxy: Record<string, unknown>;
  password: string | undefined;
}

/** `socks5h://alice:pw@proxy:1080`; a bare `proxy:3128`, as users typed it, meant an HTTP proxy. */
function splitProxyUrl(proxyUrl: string, field: string): SplitProxy {
  const url = URL.parse(proxyUrl.includes('://') ? proxyUrl : `http://${proxyUrl}`);
  const scheme = url && Object.hasOwn(proxySchemesV1, url.protocol) ? proxySchemesV1[url.protocol as keyof typeof proxySchemesV1] : undefined;
  if (!url || !scheme || url.hostname === '') {
    throw new SettingsValidationError([{ path: field, message: `cannot be read as a proxy URL: "${proxyUrl}"` }], 'Cannot migrate settings');
  }
  const { port: defaultPort, ...fields } = scheme;
  const proxy: Record<string, unknown> = { ...fields, host: url.hostname, port: url.port === '' ? defaultPort : Number(url.port) };
  if (url.username !== '') proxy.username = decodeURIComponent(url.username);
  return { proxy, password: url.password === '' ? undefined : decodeURIComponent(url.password) };
}

function connectionOverridesFromV1(connection: ConnectionV1, field: string, passwordKey: string, secrets: ExtractedSecrets) {
  const { proxyUrl, ...values } = connection;
  const overrides: Record<string, unknown> = Object.fromEntries(
    Object.entries(values).filter(([key, value]) => JSON.stringify(value) !== JSON.stringify(defaultsV1[key as keyof ConnectionV1])),
  );
  if (proxyUrl !== '') {
    const { proxy, password } = splitProxyUrl(proxyUrl, `${field}.proxyUrl`);
    overrides.proxy = proxy;
    if (password !== undefined) secrets[passwordKey] = password;
  }
  return overrides;
}

function fromV1(document: unknown): MigrationStep {
  const parsed = SettingsV1.safeParse(document);
  if (!parsed.success) throw new SettingsValidationError(fieldIssues(parsed.error), 'Cannot migrate version 1 settings');
  const v1 = parsed.data;
  const secrets: ExtractedSecrets = {};
  return {
    document: {
      version: 2,
      connection: connectionOverridesFromV1(v1.connection, 'connection', secretKeys.globalProxyPassword, secrets),
      communities: v1.communities.map((community, index) => ({
        ...community,
        connection: connectionOverridesFromV1(
          community.connection,
          `communities[${index}].connection`,
          secretKeys.communityProxyPassword(community.id),
          secrets,
        ),
      })),
    },
    secrets,
  };
}

// ---- v2 → v3 -------------------------------------------------------------------------------
// v3 adds the certificates each community's user chose to trust; a v2 file trusted none.

function fromV2(document: unknown): MigrationStep {
  const parsed = z.looseObject({ version: z.literal(2) }).safeParse(document);
  if (!parsed.success) throw new SettingsValidationError(fieldIssues(parsed.error), 'Cannot migrate version 2 settings');
  return { document: { ...parsed.data, version: 3, trustedCertificates: {} }, secrets: {} };
}

// ---- v3 → v4 -------------------------------------------------------------------------------
// v4 adds the desktop settings (tray, start at login, away when idle); a v3 user chose none.

function fromV3(document: unknown): MigrationStep {
  const parsed = z.looseObject({ version: z.literal(3) }).safeParse(document);
  if (!parsed.success) throw new SettingsValidationError(fieldIssues(parsed.error), 'Cannot migrate version 3 settings');
  return { document: { ...parsed.data, version: 4, desktop: {} }, secrets: {} };
}

// ---------------------------------------------------------------------------------------------

/** Keyed by the version each step produces from the one before it. */
export const migrations: Readonly<Record<number, (document: unknown) => MigrationStep>> = {
  2: fromV1,
  3: fromV2,
  4: fromV3,
};

export function versionOf(document: unknown): number {
  const version = typeof document === 'object' && document !== null ? (document as { version?: unknown }).version : undefined;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new SettingsValidationError([{ path: 'version', message: 'must be a settings version number' }], 'Cannot read settings');
  }
  return version;
}

/** Brings a document of any known version up to SETTINGS_VERSION; it still needs validating against the schema. */
export function migrateSettings(document: unknown): MigrationOutcome {
  const fromVersion = versionOf(document);
  if (fromVersion > SETTINGS_VERSION) throw new UnsupportedVersionError(fromVersion);
  let step: MigrationStep = { document: document as Record<string, unknown>, secrets: {} };
  for (let version = fromVersion + 1; version <= SETTINGS_VERSION; version += 1) {
    const migration = migrations[version];
    if (!migration) throw new Error(`No settings migration to version ${version}`);
    const next = migration(step.document);
    step = { document: next.document, secrets: { ...step.secrets, ...next.secrets } };
  }
  return { ...step, fromVersion };
}
