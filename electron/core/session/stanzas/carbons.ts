/** Message carbons (XEP-0280): copies of the user's conversations on their other devices. */
import { parseJid } from './jid.js';
import { NS_CARBONS, NS_FORWARD } from './namespaces.js';
import { ignored } from './parsed.js';
import type { Ignored } from './parsed.js';
import { xml } from './xml.js';
import type { Element } from './xml.js';

export function enableCarbons(): Element {
  return xml('iq', { type: 'set' }, xml('enable', { xmlns: NS_CARBONS }));
}

export interface Carbon {
  kind: 'carbon';
  /** sent: the user wrote it on another device; received: it reached another of the user's devices. */
  direction: 'sent' | 'received';
  message: Element;
}

/**
 * null when `message` is no carbon. A carbon is believed only when it comes from the user's own
 * bare JID: anyone can send a message wrapping a forged one (CVE-2017-5589 and friends).
 */
export function unwrapCarbon(message: Element, ownBareJid: string): Carbon | null | Ignored {
  const wrapper = message.getChild('sent', NS_CARBONS) ?? message.getChild('received', NS_CARBONS);
  if (!wrapper) return null;
  const sender = parseJid(message.attrs.from);
  if (!sender || sender.resource !== null || `${sender.local}@${sender.domain}` !== ownBareJid) {
    return ignored(`a carbon from ${message.attrs.from ?? 'nobody'}, not from the user's own account: possibly forged`);
  }
  const inner = wrapper.getChild('forwarded', NS_FORWARD)?.getChild('message');
  if (!inner) return ignored('a carbon without a forwarded message');
  return { kind: 'carbon', direction: wrapper.name === 'sent' ? 'sent' : 'received', message: inner };
}
