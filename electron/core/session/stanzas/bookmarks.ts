/**
 * Bookmarks of rooms (XEP-0402): one PEP item per room in the user's `urn:xmpp:bookmarks:1` node,
 * kept private to the user, so that every device enters the same rooms (autojoin) under the same
 * nickname.
 */
import { bareJidOf, parseJid } from './jid.js';
import { NS_DATA_FORMS } from './namespaces.js';
import { xml } from './xml.js';
import type { Element } from './xml.js';

export const NS_BOOKMARKS = 'urn:xmpp:bookmarks:1';
const NS_PUBSUB = 'http://jabber.org/protocol/pubsub';

export interface Bookmark {
  room: string;
  nick: string | null;
  autojoin: boolean;
}

export function fetchBookmarks(): Element {
  return xml('iq', { type: 'get' }, xml('pubsub', { xmlns: NS_PUBSUB }, xml('items', { node: NS_BOOKMARKS })));
}

export function parseBookmarks(iq: Element): Bookmark[] {
  const items = iq.getChild('pubsub', NS_PUBSUB)?.getChild('items')?.getChildren('item') ?? [];
  return items.flatMap((item) => {
    const room = parseJid(item.attrs.id);
    const conference = item.getChild('conference', NS_BOOKMARKS);
    if (!room || room.resource !== null || !conference) return [];
    const autojoin = conference.attrs.autojoin === 'true' || conference.attrs.autojoin === '1';
    return [{ room: bareJidOf(room), nick: conference.getChildText('nick') || null, autojoin }];
  });
}

/** XEP-0402 §3.3: the node keeps every item, for the user alone. */
const publishOptions = () => {
  const field = (name: string, value: string) => xml('field', { var: name }, xml('value', {}, value));
  return xml(
    'publish-options',
    {},
    xml(
      'x',
      { xmlns: NS_DATA_FORMS, type: 'submit' },
      xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, 'http://jabber.org/protocol/pubsub#publish-options')),
      field('pubsub#persist_items', 'true'),
      field('pubsub#max_items', 'max'),
      field('pubsub#send_last_published_item', 'never'),
      field('pubsub#access_model', 'whitelist'),
    ),
  );
};

export function publishBookmark({ room, nick, autojoin }: Bookmark): Element {
  return xml(
    'iq',
    { type: 'set' },
    xml(
      'pubsub',
      { xmlns: NS_PUBSUB },
      xml('publish', { node: NS_BOOKMARKS }, xml('item', { id: room }, xml('conference', { xmlns: NS_BOOKMARKS, autojoin: String(autojoin) }, nick ? xml('nick', {}, nick) : undefined))),
      publishOptions(),
    ),
  );
}

export function retractBookmark(room: string): Element {
  return xml('iq', { type: 'set' }, xml('pubsub', { xmlns: NS_PUBSUB }, xml('retract', { node: NS_BOOKMARKS, notify: 'true' }, xml('item', { id: room }))));
}
