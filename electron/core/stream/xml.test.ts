import { describe, expect, it } from 'vitest';

import { MalformedXmlError } from './errors.js';
import { StreamParser, parseXml } from './xml.js';
import type { Element } from './xml.js';

describe('parsing a whole XML document', () => {
  it('gives its root with its children, white space around it ignored', () => {
    const root = parseXml("\n<?xml version='1.0'?> <iq type='result'><query xmlns='jabber:iq:roster'/></iq>\n");
    expect(root?.toString()).toBe('<iq type="result"><query xmlns="jabber:iq:roster"/></iq>');
    expect(parseXml('  ')).toBeNull();
  });

  it.each([
    ['an end tag before any start tag', '</a><iq/>', 'an end tag </a> closes no element'],
    ['an end tag that closes another element', '<iq><query></iq>', '</iq> closes <query>'],
    ['an end tag after the root', '<iq/></x>', 'an end tag </x> closes no element'],
    ['a second root', '<iq/><iq/>', "<iq> after the root element's end"],
    ['text outside the root', 'hello<iq/>', 'text outside the root element'],
    ['a root that never ends', '<iq><query/>', 'the document ends inside its root element'],
    ['an entity XML does not define', '<iq>caf&eacute;</iq>', 'Illegal XML entity &eacute;'],
  ])('refuses %s', (_, text, detail) => {
    expect(() => parseXml(text)).toThrow(new MalformedXmlError(detail));
  });

  it('tells of the root as soon as its start tag is read, whatever follows', () => {
    const started: string[] = [];
    expect(() => parseXml("<body xmlns='http://jabber.org/protocol/httpbind'></a>", (root) => started.push(root.name))).toThrow(MalformedXmlError);
    expect(started).toEqual(['body']);
  });
});

describe("the parser of a stream's XML", () => {
  const header = "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>";

  it('reads a stream as xmpp.js does: its root, each stanza whole, and its end', () => {
    const parser = new StreamParser();
    const seen: string[] = [];
    parser.on('start', (root: Element) => seen.push(`start ${root.name}`));
    parser.on('element', (element: Element) => seen.push(element.toString()));
    parser.on('end', () => seen.push('end'));
    parser.write(`${header} <message><body>hi</body></message>\n<presence/>`);
    parser.write('</stream:stream>');
    expect(seen).toEqual(['start stream:stream', '<message><body>hi</body></message>', '<presence/>', 'end']);
  });

  it('throws at an end tag before any start tag, where xmpp.js would read the name of no element', () => {
    expect(() => new StreamParser().write('</a>')).toThrow(new MalformedXmlError('an end tag </a> closes no element'));
  });

  it('throws at what follows the end of its root, where xmpp.js would read on', () => {
    const parser = new StreamParser();
    expect(() => parser.write(`${header}</stream:stream><message/>`)).toThrow(new MalformedXmlError("<message> after the root element's end"));
  });
});
