/** The message archive (XEP-0313, urn:xmpp:mam:2) paged with Result Set Management (XEP-0059). */
import { isoTime } from './chat.js';
import { bareJid } from './jid.js';
import { NS_DATA_FORMS, NS_DELAY, NS_FORWARD, NS_MAM, NS_RSM } from './namespaces.js';
import { ignored } from './parsed.js';
import type { Ignored } from './parsed.js';
import { xml } from './xml.js';
import type { Element } from './xml.js';

export interface MamQuery {
  /** Ties the result messages to this query. */
  queryId: string;
  /** Whose archive: a room's (XEP-0313 §4.1.2); the user's own when absent. */
  to?: string;
  /** Only the conversation with this JID. */
  with?: string;
  /** Only messages archived at or after this time. */
  start?: Date;
  /** The archive id of the last message already known: the page starts after it. */
  after?: string;
  /** The page that ends before this archive id; '' for the archive's last page. */
  before?: string;
  max: number;
}

export function mamQuery(query: MamQuery): Element {
  const field = (name: string, value: string | undefined) => value !== undefined && xml('field', { var: name }, xml('value', {}, value));
  return xml(
    'iq',
    { type: 'set', ...(query.to === undefined ? {} : { to: query.to }) },
    xml(
      'query',
      { xmlns: NS_MAM, queryid: query.queryId },
      xml(
        'x',
        { xmlns: NS_DATA_FORMS, type: 'submit' },
        xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, NS_MAM)),
        field('with', query.with),
        field('start', query.start?.toISOString()),
      ),
      xml('set', { xmlns: NS_RSM }, xml('max', {}, String(query.max)), query.after !== undefined && xml('after', {}, query.after), query.before !== undefined && xml('before', {}, query.before)),
    ),
  );
}

export interface ArchivedMessage {
  kind: 'archived';
  queryId: string;
  /** The archive's id for the message; it equals the stanza-id the server stamped on it live. */
  archiveId: string;
  /** When the server archived it, as an ISO 8601 string; null when the server gave no valid time. */
  archivedAt: string | null;
  message: Element;
}

/**
 * null when `message` is no archive result. A result is believed only from the archive asked
 * (`archive`: the user's bare JID, whose archive may also answer with no from, or a room's) and
 * for a query of ours.
 */
export function parseMamResult(message: Element, { archive, queryIds }: { archive: string; queryIds: ReadonlySet<string> }): ArchivedMessage | null | Ignored {
  const result = message.getChild('result', NS_MAM);
  if (!result) return null;
  if (message.attrs.from !== undefined && bareJid(message.attrs.from) !== archive) {
    return ignored(`an archive result from ${message.attrs.from}, not from the archive asked (${archive})`);
  }
  const { queryid: queryId, id: archiveId } = result.attrs;
  if (!queryId || !queryIds.has(queryId)) return ignored(`an archive result for a query Burrow did not make (${queryId ?? 'none'})`);
  if (!archiveId) return ignored('an archive result without an archive id');
  const forwarded = result.getChild('forwarded', NS_FORWARD);
  const inner = forwarded?.getChild('message');
  if (!forwarded || !inner) return ignored('an archive result without a forwarded message');
  return { kind: 'archived', queryId, archiveId, archivedAt: isoTime(forwarded.getChild('delay', NS_DELAY)?.attrs.stamp), message: inner };
}

export interface MamPage {
  kind: 'mam-page';
  /** The archive has nothing more in this direction. */
  complete: boolean;
  /** Archive ids of the page's first and last message; `last` is the next query's `after`. */
  first: string | null;
  last: string | null;
}

export function parseMamFin(iq: Element): MamPage | Ignored {
  if (!iq.is('iq') || iq.attrs.type !== 'result') return ignored('expected an iq result to the archive query');
  const fin = iq.getChild('fin', NS_MAM);
  if (!fin) return ignored('an archive query result without <fin/>');
  const set = fin.getChild('set', NS_RSM);
  return {
    kind: 'mam-page',
    complete: fin.attrs.complete === 'true',
    first: set?.getChildText('first', NS_RSM) || null,
    last: set?.getChildText('last', NS_RSM) || null,
  };
}
