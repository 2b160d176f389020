/**
 * The first-run form as pure data: what the user typed (host, user name, password) turned into
 * a community with every other setting left Automatic, or the problems with it. Under a policy,
 * the community is the administrator's, and the user gives only what it left open.
 */
import { Community } from '../../../electron/common/settings/schema.js';
import { secretKeys } from '../../../electron/common/settings/secret-keys.js';
import type { SettingsView } from '../../../electron/contract/contract.js';

export interface FirstRunInput {
  host: string;
  /** A user name, or a full address such as alice@example.com. */
  username: string;
  password: string;
}

export type FirstRunField = keyof FirstRunInput;

export type FirstRunResult = { ok: true; community: Community } | { ok: false; problems: Partial<Record<FirstRunField, string>> };

/** An identifier for the community's settings and secrets, readable and unused. */
export function communityIdFor(host: string, taken: readonly string[]): string {
  const base = host.toLowerCase().replace(/^[a-z]+:\/\//, '').replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 56) || 'community';
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base}-${n}`)) return `${base}-${n}`;
}

function hostName(hostServer: string): string {
  if (!hostServer.includes('://')) return hostServer;
  try {
    return new URL(hostServer).hostname;
  } catch {
    return hostServer;
  }
}

/**
 * Builds the community. "alice@example.com" as the user name gives the user name "alice" and,
 * when the host server is another machine, the XMPP domain "example.com"; with no host server,
 * the domain is the host. "host:port" sets the server community port.
 */
export function firstRunCommunity(input: FirstRunInput, existingId: string | null, taken: readonly string[]): FirstRunResult {
  const problems: Partial<Record<FirstRunField, string>> = {};
  let host = input.host.trim();
  let username = input.username.trim();
  let domain: string | undefined;
  const at = username.lastIndexOf('@');
  if (at >= 0) {
    domain = username.slice(at + 1);
    username = username.slice(0, at);
    if (host === '') host = domain;
  }
  let port: number | undefined;
  const hostPort = /^([^:/[\]]+):(\d{1,5})$/.exec(host);
  if (hostPort) {
    host = hostPort[1] ?? host;
    port = Number(hostPort[2]);
  }
  if (host === '') problems.host = 'is required';
  if (username === '') problems.username = 'is required';
  if (input.password === '') problems.password = 'is required';

  const id = existingId ?? communityIdFor(host, taken);
  const candidate = {
    id,
    displayName: hostName(host) || 'My community',
    hostServer: host,
    ...(port === undefined ? {} : { port }),
    ...(domain !== undefined && domain.toLowerCase() !== hostName(host).toLowerCase() ? { xmppDomain: domain } : {}),
    username,
    useGlobalConnection: true,
    connection: {},
  };
  const parsed = Community.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (field === 'hostServer' || field === 'port') problems.host ??= issue.message;
      else if (field === 'xmppDomain') problems.username ??= 'must end in a domain name, as in alice@example.com';
    }
  }
  if (!parsed.success || Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, community: parsed.data };
}

/** The first community from the administrator that still needs what it left open: the password, and the user name when it has none. */
export function policyCommunityToComplete(view: SettingsView): Community | undefined {
  const needsPassword = ({ community, source }: SettingsView['communities'][number]) =>
    source === 'admin-default' && !view.storedPasswords.includes(secretKeys.communityPassword(community.id));
  return view.communities.find(needsPassword)?.community;
}

/** The administrator's community with what the user gave: a user name only where it has none (the password is kept apart). */
export function completePolicyCommunity(community: Community, input: FirstRunInput): FirstRunResult {
  const problems: Partial<Record<FirstRunField, string>> = {};
  const username = community.username || input.username.trim();
  if (username === '') problems.username = 'is required';
  if (input.password === '') problems.password = 'is required';
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, community: { ...community, username } };
}
