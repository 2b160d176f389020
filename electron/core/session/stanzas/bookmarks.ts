/**
 * Bookmarks of rooms (XEP-0402): one PEP item per room in the user's `urn:xmpp:bookmarks:1` node,
 * kept private to the user, so that every device enters the same rooms (autojoin) under the same
 * nickname.
 */
import { bareJidOf, parseJid } from './jid.js';
import { NS_DATA_FORMS, NS_PUBSUB } from './namespaces.js';
import { xml } from './xml.js';
import type { Element } from './xml.js';

export const NS_BOOKMARKS = 'urn:xmpp:bookmarks:1';

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

/**
 * XEP-0402 §3.3's publish options (the node keeps every item, for the user alone), then fewer, for a
 * server that refuses a field it does not know (ejabberd 23.01 takes only some of them): each is
 * tried when the one before it was refused.
 */
export const bookmarkPublishOptions: readonly (readonly [string, string][])[] = [
  [
    ['pubsub#persist_items', 'true'],
    ['pubsub#max_items', 'max'],
    ['pubsub#send_last_published_item', 'never'],
    ['pubsub#access_model', 'whitelist'],
  ],
  [
    ['pubsub#persist_items', 'true'],
    ['pubsub#max_items', 'max'],
    ['pubsub#access_model', 'whitelist'],
  ],
  [
    ['pubsub#persist_items', 'true'],
    ['pubsub#access_model', 'whitelist'],
  ],
];

/** Publish options (XEP-0060 §7.1.5), as a node's publisher asks for them. */
export const publishOptions = (fields: readonly (readonly [string, string])[]) =>
  xml(
    'publish-options',
    {},
    xml(
      'x',
      { xmlns: NS_DATA_FORMS, type: 'submit' },
      xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, 'http://jabber.org/protocol/pubsub#publish-options')),
      ...fields.map(([name, value]) => xml('field', { var: name }, xml('value', {}, value))),
    ),
  );

/** `options`: one of `bookmarkPublishOptions`. */
export function publishBookmark({ room, nick, autojoin }: Bookmark, options: readonly (readonly [string, string])[]): Element {
  return xml(
    'iq',
    { type: 'set' },
    xml(
      'pubsub',
      { xmlns: NS_PUBSUB },
      xml('publish', { node: NS_BOOKMARKS }, xml('item', { id: room }, xml('conference', { xmlns: NS_BOOKMARKS, autojoin: String(autojoin) }, nick ? xml('nick', {}, nick) : undefined))),
      publishOptions(options),
    ),
  );
}

export function retractBookmark(room: string): Element {
  return xml('iq', { type: 'set' }, xml('pubsub', { xmlns: NS_PUBSUB }, xml('retract', { node: NS_BOOKMARKS, notify: 'true' }, xml('item', { id: room }))));
}
