// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="./xmpp.d.ts" />
/** XML elements as xmpp.js builds and parses them, for the rest of Burrow. */
import { Element, Parser, escapeXML, xml } from '@xmpp/xml';

import { MalformedXmlError } from './errors.js';

export { Element, escapeXML, xml };

/**
 * xmpp.js's parser of a stream, which throws a MalformedXmlError at what is not well-formed, where
 * xmpp.js's would emit an error, read on past its root's end, or trip over its own state (an end
 * tag before any start tag has it read the name of no element, a TypeError). What ltx throws on
 * its own (an entity XML does not define) still comes out as it is.
 */
export class StreamParser extends Parser {
  #ended = false;

  override onStartElement(name: string, attrs: Record<string, string>): void {
    if (this.#ended) throw new MalformedXmlError(`<${name}> after the root element's end`);
    super.onStartElement(name, attrs);
  }

  override onEndElement(name: string): void {
    this.#ended = this.closing(name) === this.root;
    super.onEndElement(name);
  }

  /** The element that the end tag `</name>` closes: the one open, or the XML is not well-formed. */
  protected closing(name: string): Element {
    const { cursor } = this;
    if (this.#ended || !cursor) throw new MalformedXmlError(`an end tag </${name}> closes no element`);
    if (name !== cursor.name) throw new MalformedXmlError(`</${name}> closes <${cursor.name}>`);
    return cursor;
  }

  /** White space outside the root is no text of it (XML's Misc): ignored, not an error. */
  override onText(text: string): void {
    if (this.cursor && !this.#ended) super.onText(text);
    else if (text.trim() !== '') throw new MalformedXmlError('text outside the root element');
  }
}

/**
 * Parses one complete XML document; throws a MalformedXmlError on one that is not well-formed (or
 * ends inside its root). Null: no element at all. `started` hears of the root as soon as its start
 * tag is read, even if what follows is malformed.
 */
export function parseXml(text: string, started?: (root: Element) => void): Element | null {
  const parser = new StreamParser();
  let root: Element | null = null;
  let ended = false;
  parser.on('start', (element: Element) => {
    root = element;
    started?.(element);
  });
  // The parser hands the root's children out one by one, as it would a stream's stanzas.
  parser.on('element', (element: Element) => root?.append(element));
  parser.on('end', () => (ended = true));
  try {
    parser.write(text);
  } catch (error) {
    throw error instanceof MalformedXmlError ? error : new MalformedXmlError((error as Error).message);
  }
  if (root && !ended) throw new MalformedXmlError('the document ends inside its root element');
  return root;
}
