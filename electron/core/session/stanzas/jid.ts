/**
 * Just enough JID handling to compare addresses (RFC 7622): the local part and domain are compared
 * case-insensitively, the resource exactly. Full PRECIS normalisation is the server's job.
 */
export interface Jid {
  local: string | null;
  domain: string;
  resource: string | null;
}

export function parseJid(text: string | undefined): Jid | null {
  if (!text) return null;
  const slash = text.indexOf('/');
  const bare = slash === -1 ? text : text.slice(0, slash);
  const resource = slash === -1 ? null : text.slice(slash + 1);
  const at = bare.indexOf('@');
  const local = at === -1 ? null : bare.slice(0, at);
  const domain = at === -1 ? bare : bare.slice(at + 1);
  if (!domain || local === '' || resource === '' || /[\s@]/.test(domain) || (local !== null && /[\s"&'/:<>@]/.test(local))) return null;
  return { local: local?.toLowerCase() ?? null, domain: domain.toLowerCase(), resource };
}

export function bareJidOf(jid: Jid): string {
  return jid.local === null ? jid.domain : `${jid.local}@${jid.domain}`;
}

/** The bare JID of `text`, normalised, or null when it is not a JID. */
export function bareJid(text: string | undefined): string | null {
  const jid = parseJid(text);
  return jid && bareJidOf(jid);
}

/** The bare JID of `text`, normalised; throws when it is not a JID (a caller's mistake, not server data). */
export function requireBareJid(text: string): string {
  const bare = bareJid(text);
  if (!bare) throw new Error(`not a JID: ${JSON.stringify(text)}`);
  return bare;
}

/**
 * What a conversation is keyed by, normalised: a bare JID, or for a private chat through a room
 * (XEP-0045 §7.5) the occupant's full JID, `room@service/nick`, never the room's own.
 */
export function conversationJid(text: string | undefined): string | null {
  const jid = parseJid(text);
  return jid && fullJidOf(jid);
}

/** As `conversationJid`; throws when it is not a JID (a caller's mistake, not server data). */
export function requireConversationJid(text: string): string {
  const key = conversationJid(text);
  if (!key) throw new Error(`not a JID: ${JSON.stringify(text)}`);
  return key;
}

export function fullJidOf(jid: Jid): string {
  return jid.resource === null ? bareJidOf(jid) : `${bareJidOf(jid)}/${jid.resource}`;
}
