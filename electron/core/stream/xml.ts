// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="./xmpp.d.ts" />
/** XML elements as xmpp.js builds and parses them, for the rest of Burrow. */
import { Element, Parser, escapeXML, xml } from '@xmpp/xml';

export { Element, escapeXML, xml };

/** Parses one complete XML document; throws on malformed input. */
export function parseXml(text: string): Element | null {
  const parser = new Parser();
  let root: Element | null = null;
  let failure: unknown = null;
  parser.on('start', (element: Element) => (root = element));
  // The parser hands the root's children out one by one, as it would a stream's stanzas.
  parser.on('element', (element: Element) => root?.append(element));
  parser.on('error', (error: unknown) => (failure ??= error));
  parser.write(text);
  if (failure) throw failure;
  return root;
}
