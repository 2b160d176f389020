/**
 * What Burrow is and can do, told to others: its answer to service discovery (XEP-0030 disco#info)
 * and the entity capabilities (XEP-0115) in its presence, by which the server's PEP service learns
 * which notifications (`+notify`) to send it.
 */
import { createHash } from 'node:crypto';
import { NS_AVATAR_METADATA, NS_CAPS, NS_CARBONS, NS_CHAT_STATES, NS_CORRECTION, NS_DISCO_INFO, NS_PING, NS_RECEIPTS } from './namespaces.js';
import { NS_MUC } from './muc.js';
import { xml } from './xml.js';
import type { Element } from './xml.js';

export interface Identity {
  category: string;
  type: string;
  name?: string;
  lang?: string;
}

export interface Capabilities {
  identities: Identity[];
  features: string[];
}

/** The URI naming the software in `<c node>` (XEP-0115 §4): the application's id (org.burrow.messenger) as an address. */
export const CAPS_NODE = 'https://burrow.org/messenger';

/** Only what Burrow really does: another client relies on each of these. */
export const burrowCapabilities: Capabilities = {
  identities: [{ category: 'client', type: 'pc', name: 'Burrow' }],
  features: [
    NS_CAPS,
    NS_DISCO_INFO,
    NS_RECEIPTS,
    NS_CHAT_STATES,
    NS_CORRECTION,
    NS_CARBONS,
    NS_PING,
    NS_MUC,
    `${NS_AVATAR_METADATA}+notify`,
  ],
};

/** XEP-0030 orders nothing, XEP-0115 §5.1 sorts by octets ("i;octet"). */
const byOctets = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** The verification string of XEP-0115 §5.1 (without extended forms, which Burrow does not publish): base64 of SHA-1. */
export function capsVer({ identities, features }: Capabilities): string {
  const identityLines = identities
    .map(({ category, type, lang, name }) => `${category}/${type}/${lang ?? ''}/${name ?? ''}`)
    .sort(byOctets)
    .map((line) => `${line}<`);
  const featureLines = [...features].sort(byOctets).map((feature) => `${feature}<`);
  return createHash('sha1')
    .update([...identityLines, ...featureLines].join(''))
    .digest('base64');
}

/** The `<c/>` element a presence carries (XEP-0115 §4). */
export function capsElement(capabilities: Capabilities, node = CAPS_NODE): Element {
  return xml('c', { xmlns: NS_CAPS, hash: 'sha-1', node, ver: capsVer(capabilities) });
}

/**
 * The answer to a disco#info request: the capabilities for the entity itself or for the `node#ver`
 * the caps name (XEP-0115 §6.2), null for any other node (the caller answers item-not-found).
 */
export function discoInfoResult(request: Element, capabilities: Capabilities, node = CAPS_NODE): Element | null {
  const asked = request.getChild('query', NS_DISCO_INFO)?.attrs.node as string | undefined;
  if (asked !== undefined && asked !== `${node}#${capsVer(capabilities)}`) return null;
  return xml(
    'iq',
    { type: 'result', id: request.attrs.id, to: request.attrs.from },
    xml(
      'query',
      { xmlns: NS_DISCO_INFO, ...(asked !== undefined ? { node: asked } : {}) },
      ...capabilities.identities.map(({ category, type, name, lang }) =>
        xml('identity', { category, type, ...(name !== undefined ? { name } : {}), ...(lang !== undefined ? { 'xml:lang': lang } : {}) }),
      ),
      ...capabilities.features.map((feature) => xml('feature', { var: feature })),
    ),
  );
}
