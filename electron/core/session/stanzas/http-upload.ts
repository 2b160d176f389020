/** HTTP File Upload (XEP-0363): finding the service (XEP-0030), asking for a slot, reading the answer. */
import { NS_DATA_FORMS, NS_DISCO_INFO, NS_DISCO_ITEMS, NS_HTTP_UPLOAD, NS_STANZA_ERRORS } from './namespaces.js';
import { xml } from './xml.js';
import type { Element } from './xml.js';

export interface UploadService {
  jid: string;
  /** The largest file it takes, in bytes; null when it does not say. */
  maxBytes: number | null;
}

export interface UploadSlot {
  putUrl: URL;
  getUrl: URL;
  /** Only the headers XEP-0363 lets a service ask for. */
  headers: Record<string, string>;
}

/** Why a slot was refused, as the service said it. */
export type SlotRefusal =
  | { kind: 'too-large'; maxBytes: number | null }
  | { kind: 'quota'; text: string | null }
  | { kind: 'forbidden'; text: string | null }
  | { kind: 'other'; condition: string; text: string | null };

export const discoItems = (to: string): Element => xml('iq', { type: 'get', to }, xml('query', { xmlns: NS_DISCO_ITEMS }));
export const discoInfo = (to: string): Element => xml('iq', { type: 'get', to }, xml('query', { xmlns: NS_DISCO_INFO }));

export function itemJids(result: Element): string[] {
  const query = result.getChild('query', NS_DISCO_ITEMS);
  return (query?.getChildren('item') ?? []).map((item) => item.attrs.jid).filter((jid): jid is string => typeof jid === 'string' && jid.length > 0);
}

/** The upload service `jid` is, from its disco#info answer; null when it offers no XEP-0363. */
export function uploadServiceOf(jid: string, result: Element): UploadService | null {
  const query = result.getChild('query', NS_DISCO_INFO);
  if (!query?.getChildren('feature').some((feature) => feature.attrs.var === NS_HTTP_UPLOAD)) return null;
  const form = query.getChildren('x', NS_DATA_FORMS).find((candidate) => fieldValue(candidate, 'FORM_TYPE') === NS_HTTP_UPLOAD);
  return { jid, maxBytes: byteCount(form ? fieldValue(form, 'max-file-size') : undefined) };
}

export function slotRequest(to: string, file: { name: string; size: number; contentType: string }): Element {
  return xml('iq', { type: 'get', to }, xml('request', { xmlns: NS_HTTP_UPLOAD, filename: file.name, size: String(file.size), 'content-type': file.contentType }));
}

/** The slot of a result; throws when it is not one a client may use (missing or non-HTTP URLs). */
export function parseSlot(result: Element): UploadSlot {
  const slot = result.getChild('slot', NS_HTTP_UPLOAD);
  const put = slot?.getChild('put');
  const putUrl = httpUrl(put?.attrs.url);
  const getUrl = httpUrl(slot?.getChild('get')?.attrs.url);
  if (!putUrl || !getUrl) throw new Error('the upload service answered without a usable slot');
  const headers: Record<string, string> = {};
  for (const header of put?.getChildren('header') ?? []) {
    const name = allowedHeaders.find((allowed) => allowed.toLowerCase() === String(header.attrs.name ?? '').toLowerCase());
    // A value with a line break could smuggle another header into the request.
    const value = header.text().replace(/[\r\n]/g, '');
    if (name) headers[name] = value;
  }
  return { putUrl, getUrl, headers };
}

/** What an error answer to a slot request says. */
export function slotRefusal(error: Element): SlotRefusal {
  const detail = error.getChild('error');
  const condition = detail?.getChildElements().find((child) => child.attrs.xmlns === NS_STANZA_ERRORS && child.name !== 'text')?.name ?? 'undefined-condition';
  const text = detail?.getChild('text', NS_STANZA_ERRORS)?.text() || null;
  const tooLarge = detail?.getChild('file-too-large', NS_HTTP_UPLOAD);
  if (tooLarge) return { kind: 'too-large', maxBytes: byteCount(tooLarge.getChild('max-file-size')?.text()) };
  if (detail?.getChild('retry', NS_HTTP_UPLOAD) || condition === 'resource-constraint') return { kind: 'quota', text };
  if (condition === 'forbidden' || condition === 'not-allowed') return { kind: 'forbidden', text };
  return { kind: 'other', condition, text };
}

/** XEP-0363 §5: Authorization, Cookie and Expires; the client ignores any other. */
const allowedHeaders = ['Authorization', 'Cookie', 'Expires'] as const;

function fieldValue(form: Element, name: string): string | undefined {
  return form.getChildren('field').find((field) => field.attrs.var === name)?.getChildText('value') ?? undefined;
}

function byteCount(text: string | undefined): number | null {
  if (text === undefined || !/^\s*\d{1,15}\s*$/.test(text)) return null;
  return Number(text);
}

function httpUrl(text: string | undefined): URL | null {
  if (!text || !URL.canParse(text)) return null;
  const url = new URL(text);
  return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
}
