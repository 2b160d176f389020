/**
 * Host name syntax for settings fields: DNS names, dotted IPv4 and bracketed IPv6.
 * No Node imports, so the contract and the renderer's inline validation can share it.
 */

const dnsLabel = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

export function isDnsName(text: string): boolean {
  if (text.length === 0 || text.length > 253) return false;
  const labels = text.split('.');
  // An all-numeric last label is a mistyped IPv4 address, not a top-level domain.
  if (/^\d+$/.test(labels.at(-1) ?? '')) return false;
  return labels.every((label) => dnsLabel.test(label));
}

export function isIPv4(text: string): boolean {
  const octets = text.split('.');
  return octets.length === 4 && octets.every((octet) => /^(?:0|[1-9]\d{0,2})$/.test(octet) && Number(octet) <= 255);
}

export function isIPv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groupsOf = (half: string | undefined): string[] => (half ? half.split(':') : []);
  const groups = [...groupsOf(halves[0]), ...groupsOf(halves[1])];
  const last = groups.at(-1);
  const embeddedIPv4 = last !== undefined && last.includes('.');
  if (embeddedIPv4 && !isIPv4(last)) return false;
  const hexGroups = embeddedIPv4 ? groups.slice(0, -1) : groups;
  if (!hexGroups.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return false;
  const width = hexGroups.length + (embeddedIPv4 ? 2 : 0);
  return halves.length === 2 ? width <= 7 : width === 8;
}

/** A host as typed in Preferences: `chat.example.com`, `192.0.2.7` or `[2001:db8::1]`. */
export function isHost(text: string): boolean {
  if (text.startsWith('[') && text.endsWith(']')) return isIPv6(text.slice(1, -1));
  return isIPv4(text) || isDnsName(text);
}

export const hostSyntaxHint =
  'must be a host name (chat.example.com), an IPv4 address (192.0.2.7) or an IPv6 address in brackets ([2001:db8::1])';

/** A host written with more around it: a scheme, a user name, a port or a path (an IPv6 address without brackets is only a host). */
export function hasMoreThanAHost(text: string): boolean {
  return /[:/@]/.test(text) && !isIPv6(text);
}

export const proxyHostHint = 'must be the host name alone, e.g. proxy.example.com: the port goes in Proxy port, the type in Proxy type';
