/**
 * A community's address as the user or administrator typed it (DESIGN.md, "A community's address").
 * Parsing is our own rather than WHATWG URL's because URL forgets a port that equals the scheme's
 * default (`http://host:80` → port ''), and an explicit port changes the plan to exactly one attempt.
 */

export const addressSchemes = ['xmpp', 'xmpps', 'ws', 'wss', 'http', 'https'] as const;
export type AddressScheme = (typeof addressSchemes)[number];

export interface CommunityAddress {
  /** null for a bare `host` or `host:port`. */
  scheme: AddressScheme | null;
  /** Lower-case host name, IPv4 literal, or IPv6 literal without brackets. */
  host: string;
  /** The port only when it was written out. */
  port: number | null;
  /** Path (and query) of a ws/wss/http/https address; null when absent or just "/". */
  path: string | null;
}

export class AddressError extends Error {
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`"${input}" is not a valid server address: ${reason}`);
    this.name = 'AddressError';
  }
}

const schemesWithPath = new Set<AddressScheme>(['ws', 'wss', 'http', 'https']);
const hostLabel = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const ipv4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function parseCommunityAddress(input: string): CommunityAddress {
  const text = input.trim();
  if (text === '') throw new AddressError(input, 'it is empty');
  if (/\s/.test(text)) throw new AddressError(input, 'it contains spaces');

  const schemeMatch = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (!schemeMatch) {
    if (new RegExp(`^(${addressSchemes.join('|')}):(?!//)`, 'i').test(text)) {
      throw new AddressError(input, 'write a URL as scheme://host, e.g. https://chat.example.org/http-bind');
    }
    if (/[/?#]/.test(text)) {
      throw new AddressError(input, 'a path needs a scheme, e.g. https://host/http-bind');
    }
    return { scheme: null, ...parseAuthority(input, text), path: null };
  }

  const schemeName = (schemeMatch[1] ?? '').toLowerCase();
  const scheme = addressSchemes.find((known) => known === schemeName);
  if (!scheme) {
    throw new AddressError(input, `the scheme "${schemeName}" is not supported (use ${addressSchemes.join(', ')})`);
  }

  const rest = text.slice(schemeMatch[0].length);
  const authorityEnd = rest.search(/[/?#]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const pathAndMore = authorityEnd === -1 ? '' : rest.slice(authorityEnd);

  if (pathAndMore.includes('#')) throw new AddressError(input, 'it must not contain a fragment (#)');
  const path = normalisePath(pathAndMore);
  if (path !== null && !schemesWithPath.has(scheme)) {
    throw new AddressError(input, `an ${scheme}:// address has no path`);
  }
  return { scheme, ...parseAuthority(input, authority), path };
}

function normalisePath(pathAndQuery: string): string | null {
  if (pathAndQuery === '' || pathAndQuery === '/') return null;
  return pathAndQuery.startsWith('/') ? pathAndQuery : `/${pathAndQuery}`;
}

function parseAuthority(input: string, authority: string): { host: string; port: number | null } {
  if (authority === '') throw new AddressError(input, 'the host name is missing');
  if (authority.includes('@')) {
    throw new AddressError(input, 'user names and passwords belong in the account fields, not in the address');
  }

  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close === -1) throw new AddressError(input, 'the IPv6 address is missing its closing "]"');
    const host = authority.slice(1, close).toLowerCase();
    if (!isIpv6(host)) throw new AddressError(input, `"${host}" is not an IPv6 address`);
    const afterHost = authority.slice(close + 1);
    if (afterHost !== '' && !afterHost.startsWith(':')) {
      throw new AddressError(input, 'only ":port" may follow an IPv6 address in brackets');
    }
    return { host, port: afterHost === '' ? null : parsePort(input, afterHost.slice(1)) };
  }

  const colons = authority.split(':').length - 1;
  if (colons > 1) {
    throw new AddressError(input, 'write IPv6 addresses in brackets, e.g. [2001:db8::1]:5222');
  }
  const [hostPart = '', portPart] = authority.split(':');
  const host = hostPart.toLowerCase();
  if (!isHostName(host) && !ipv4.test(host)) {
    throw new AddressError(input, `"${hostPart}" is not a valid host name`);
  }
  return { host, port: portPart === undefined ? null : parsePort(input, portPart) };
}

function parsePort(input: string, text: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new AddressError(input, `the port "${text}" is not a number`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw new AddressError(input, `the port ${port} is outside 1–65535`);
  return port;
}

function isHostName(host: string): boolean {
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split('.');
  // An all-numeric last label would be a mistyped IPv4 address such as 10.0.0.300.
  if (/^\d+$/.test(labels.at(-1) ?? '')) return false;
  return labels.every((label) => hostLabel.test(label));
}

function isIpv6(host: string): boolean {
  if (!/^[0-9a-f:.]+$/.test(host) || !host.includes(':')) return false;
  const doubleColons = host.split('::').length - 1;
  if (doubleColons > 1) return false;
  const groups = host.split(':').filter((group) => group !== '');
  const last = groups.at(-1) ?? '';
  const embeddedIpv4 = last.includes('.');
  if (embeddedIpv4 && !ipv4.test(last)) return false;
  const hexGroups = embeddedIpv4 ? groups.slice(0, -1) : groups;
  if (!hexGroups.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return false;
  const groupCount = hexGroups.length + (embeddedIpv4 ? 2 : 0);
  return doubleColons === 1 ? groupCount < 8 : groupCount === 8;
}
