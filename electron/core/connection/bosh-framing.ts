/**
 * Translation between BOSH `<body/>` wrappers (XEP-0124/0206) and the RFC 7395 framing that
 * the stream layer's WebSocket transport speaks: the XMPP layer writes `<open/>`, stanzas and `<close/>`,
 * and reads the same. That lets BOSH reuse that framing and parser.
 */
import { escapeXML, parseXml as parse } from '../stream/xml.js';
import type { Element } from '../stream/xml.js';

export const NS_HTTPBIND = 'http://jabber.org/protocol/httpbind';
export const NS_XBOSH = 'urn:xmpp:xbosh';
const NS_FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';
const NS_CLIENT = 'jabber:client';

export type OutgoingFrame =
  | { kind: 'open'; to: string; from?: string; lang?: string }
  | { kind: 'close' }
  | { kind: 'payload'; xml: string };

/** Classifies one string the XMPP layer wrote (xmpp.js writes one element per call). */
export function readOutgoingFrame(data: string): OutgoingFrame {
  if (!/^\s*<(open|close)[\s/>]/.test(data)) return { kind: 'payload', xml: data };
  const element = parse(data);
  if (!element || element.attrs.xmlns !== NS_FRAMING) return { kind: 'payload', xml: data };
  if (element.name === 'close') return { kind: 'close' };
  const { to = '', from, 'xml:lang': lang } = element.attrs;
  return { kind: 'open', to, ...(from === undefined ? {} : { from }), ...(lang === undefined ? {} : { lang }) };
}

export type BodyAttributes = Record<string, string | number | undefined>;

export function buildBody(attrs: BodyAttributes, payloads: readonly string[] = []): string {
  const start = `body${attributeText({ xmlns: NS_HTTPBIND, ...attrs })}`;
  return payloads.length === 0 ? `<${start}/>` : `<${start}>${payloads.join('')}</body>`;
}

function attributeText(attrs: BodyAttributes): string {
  return Object.entries(attrs)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}='${escapeXML(String(value))}'`)
    .join('');
}

export interface ResponseBody {
  attrs: Record<string, string>;
  /** The connection manager ended the session. */
  terminated: boolean;
  /** XEP-0124 condition of a terminating body, e.g. "item-not-found" or "remote-stream-error". */
  condition?: string;
  /** Child elements, serialised so they stand alone (namespaces declared on `<body/>` copied in). */
  payloads: string[];
}

/**
 * Throws a plain Error with a short reason when `text` is not a BOSH body (a captive portal's page,
 * say), and the MalformedXmlError when it starts as one but is not well-formed.
 */
export function parseResponseBody(text: string): ResponseBody {
  let started = null as Element | null;
  let body: Element | null;
  try {
    body = parse(text, (root) => (started = root));
  } catch (error) {
    if (isBoshBody(started)) throw error;
    throw new Error(`malformed XML${text.trim() === '' ? ' (empty answer)' : ''}`);
  }
  if (!body || !isBoshBody(body)) throw new Error(`expected <body xmlns='${NS_HTTPBIND}'>, got <${body?.name ?? '?'}>`);
  const attrs = definedAttributes(body);
  const inherited = Object.entries(attrs).filter(([name]) => name.startsWith('xmlns:'));
  const payloads = body.getChildElements().map((child) => {
    for (const [name, value] of inherited) child.attrs[name] ??= value;
    child.attrs.xmlns ??= NS_CLIENT;
    return child.toString();
  });
  const terminated = attrs.type === 'terminate';
  return {
    attrs,
    terminated,
    ...(terminated && attrs.condition ? { condition: attrs.condition } : {}),
    payloads,
  };
}

function isBoshBody(element: Element | null): boolean {
  return element?.name === 'body' && element.attrs.xmlns === NS_HTTPBIND;
}

function definedAttributes(element: Element): Record<string, string> {
  return Object.fromEntries(
    Object.entries(element.attrs).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** The RFC 7395 stream header standing for a BOSH session creation or restart response. */
export function framedOpen({ from, id, lang }: { from: string; id: string; lang?: string }): string {
  return `<open${attributeText({ xmlns: NS_FRAMING, from, id, version: '1.0', 'xml:lang': lang })}/>`;
}

export function framedClose(): string {
  return `<close${attributeText({ xmlns: NS_FRAMING })}/>`;
}
