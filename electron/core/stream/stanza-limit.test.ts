// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types
/// <reference path="./xmpp.d.ts" />
import { Parser } from '@xmpp/xml';
import { describe, expect, it } from 'vitest';

import { MalformedXmlError, TooLargeError } from './errors.js';
import { StanzaLimit } from './stanza-limit.js';
import type { Element } from './xml.js';

/** A stream's pieces, each ending where a stanza (or the stream's own markup) ends. */
const pieces = [
  "<?xml version='1.0'?>",
  "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>",
  "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>",
  "<message to='alice@localhost' title='a > b, and &lt;/message>'><body>1 &lt; 2 <![CDATA[ </message> ]]></body><!-- </message> --></message>",
  ` <presence xml:lang = "en"\n\tto='alice@localhost'/>`,
  `<iq type='result' id="it's/"/>`,
  '</stream:stream>',
];
const stream = Buffer.from(pieces.join(''));
const ends = pieces.map((_, index) => Buffer.byteLength(pieces.slice(0, index + 1).join('')));

/** Where each chunk's whole stanzas end, counted from the stream's start (a chunk ending none adds nothing). */
function endsRead(limit: StanzaLimit, chunks: Buffer[]): number[] {
  const found: number[] = [];
  let offset = 0;
  for (const chunk of chunks) {
    const whole = limit.read(chunk);
    if (whole > 0) found.push(offset + whole);
    offset += chunk.length;
  }
  return found;
}

const bytes = (text: string) => Buffer.from(text);

describe('where the stanzas of a stream end', () => {
  it('finds the end of each one, past quotes holding a >, and CDATA and comments holding markup', () => {
    const oneByOne = Array.from(stream, (byte) => Buffer.of(byte));
    expect(endsRead(new StanzaLimit(1024), oneByOne)).toEqual(ends);
  });

  it('finds the same ends however the bytes are cut', () => {
    for (let cut = 1; cut < stream.length; cut += 1) {
      const lastEndBefore = Math.max(0, ...ends.filter((end) => end <= cut));
      const expected = [...(lastEndBefore > 0 ? [lastEndBefore] : []), stream.length];
      expect(endsRead(new StanzaLimit(1024), [stream.subarray(0, cut), stream.subarray(cut)])).toEqual(expected);
    }
  });
});

describe('cutting a stream where xmpp.js\'s parser stands between two elements', () => {
  const header = "<stream:stream xmlns='jabber:client'>";
  /** Odd markup a hostile server may send, each piece of which the parser must read as the limit does. */
  const odd = {
    'a comment holding what would end CDATA and the stanza': `${header}<message><!-- ]]></message> --><x/><x/></message><x/>`,
    'CDATA holding what would end a comment and the stanza': `${header}<message><body><![CDATA[ --> </message> ]]]></body></message>`,
    'instructions, one of them empty': `<?xml version='1.0'?>${header}<?>`,
    'a tag with a slash before its attributes, and an end tag that closes itself': `${header}<message / a='1'><x></x/><y/>`,
  };

  it.each(Object.entries(odd))('with %s', (_, text) => {
    const document = Buffer.from(text);
    const limit = new StanzaLimit(1024);
    const cuts = Array.from(document, (byte, index) => (limit.read(Buffer.of(byte)) > 0 ? index + 1 : 0)).filter((cut) => cut > 0);
    const parser = new Parser();
    const elements: string[] = [];
    parser.on('element', (element: Element) => elements.push(element.toString()));
    let from = 0;
    for (const cut of cuts) {
      parser.write(document.subarray(from, cut).toString());
      from = cut;
      // At the root, or before it: the parser holds no element open.
      expect(parser.cursor?.parent ?? null).toBeNull();
    }
    const whole = new Parser();
    const elementsOfWhole: string[] = [];
    whole.on('element', (element: Element) => elementsOfWhole.push(element.toString()));
    whole.write(text);
    expect(elements).toEqual(elementsOfWhole);
  });
});

describe('markup that no well-formed XML has', () => {
  const header = "<stream:stream xmlns='jabber:client'>";
  const refused: [string, string, string][] = [
    ['an end tag before any start tag', '</a>', 'an end tag closes no element'],
    ['an end tag after the end of the stream', `${header}</stream:stream></x>`, 'an end tag closes no element'],
    ['a second root after the end of the stream', `${header}</stream:stream><stream:stream xmlns='jabber:client'>`, 'a second root element'],
    ['a quote left open, running on into the next tags', `${header}<message from='bob><body>hi</body></message>`, "a '<' in an attribute value (a quote left open?)"],
    ['a quote left open, ending on the next quote', `${header}<message from='bob to='alice'>`, "an unexpected ' in a tag"],
    ['an attribute without a value, which ltx runs on to the next space', `${header}<x b><y/> c='1'/>`, 'an unexpected > in a tag'],
    ['an attribute whose name is followed by another', `${header}<x b c='1'/>`, "an attribute without '='"],
    ['an attribute value without quotes', `${header}<x b=1/>`, 'an attribute value without quotes'],
    ['a tag inside a tag name', `${header}<x<y/>`, 'an unexpected < in a tag'],
    ['a tag without a name', `${header}<>`, 'a tag without a name'],
    ['an end tag without a name', `${header}</ stream:stream>`, 'a tag without a name'],
    ['text before the root, as an HTTP server answers', 'HTTP/1.1 400 Bad Request\r\n\r\n<html/>', 'text outside its root element'],
  ];

  it.each(refused)('refuses %s, however the bytes are cut', (_, text, detail) => {
    expect(() => new StanzaLimit(1024).read(bytes(text))).toThrow(new MalformedXmlError(detail));
    const limit = new StanzaLimit(1024);
    expect(() => Array.from(bytes(text), (byte) => limit.read(Buffer.of(byte)))).toThrow(new MalformedXmlError(detail));
  });

  it('refuses text between the stanzas of a stream, however the bytes are cut, but not white space', () => {
    const text = `${header} \r\n\t<message/>garbage`;
    expect(() => new StanzaLimit(1024, { stanzasOnly: true }).read(bytes(text))).toThrow(new MalformedXmlError('text between its stanzas'));
    const limit = new StanzaLimit(1024, { stanzasOnly: true });
    expect(() => Array.from(bytes(text), (byte) => limit.read(Buffer.of(byte)))).toThrow(new MalformedXmlError('text between its stanzas'));
    expect(() => new StanzaLimit(1024, { stanzasOnly: true }).read(bytes(`${header} \r\n\t<message/> `))).not.toThrow();
  });

  it("takes text in a frame's root, which is a stanza", () => {
    expect(() => new StanzaLimit(1024).read(bytes("<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>cj1meWtv</challenge>"))).not.toThrow();
  });

  it('knows when what it read is whole elements, as a frame must be', () => {
    const readAll = (text: string) => {
      const limit = new StanzaLimit(1024);
      limit.read(bytes(text));
      return limit.atRest;
    };
    expect(readAll("<open xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>")).toBe(true);
    expect(readAll("<?xml version='1.0'?><message><body>hi</body></message> ")).toBe(true);
    expect(readAll('<message><body>hi</body>')).toBe(false);
    expect(readAll("<message from='bob")).toBe(false);
    expect(readAll('<message')).toBe(false);
    expect(() => readAll('<message/><message/>')).toThrow(new MalformedXmlError('a second root element'));
  });
});

describe('the size limit of a stanza', () => {
  const header = "<stream:stream xmlns='jabber:client'>";
  /** A stanza of exactly `size` bytes, its body in two-byte characters. */
  const stanzaOf = (size: number) => `<message><body>${'é'.repeat((size - '<message><body></body></message>'.length) / 2)}</body></message>`;

  it('takes stanzas of the limit in bytes, one after the other', () => {
    const limit = new StanzaLimit(1000);
    expect(() => limit.read(bytes(header + stanzaOf(1000) + stanzaOf(1000)))).not.toThrow();
  });

  it('counts bytes, not characters: one byte more is refused', () => {
    expect(() => new StanzaLimit(1000).read(bytes(header + stanzaOf(1002)))).toThrow(new TooLargeError('stanza', 1000));
  });

  it('refuses a stanza while it is still arriving, without waiting for its end', () => {
    const limit = new StanzaLimit(1000);
    limit.read(bytes(`${header}<message><body>`));
    let taken = 0;
    expect(() => {
      for (;;) {
        limit.read(bytes('x'.repeat(100)));
        taken += 100;
      }
    }).toThrow(new TooLargeError('stanza', 1000));
    expect(taken).toBeLessThan(1000);
  });

  it('counts what comes between stanzas, and a stream header that never ends, too', () => {
    expect(() => new StanzaLimit(1000).read(bytes(header + ' '.repeat(1001)))).toThrow(TooLargeError);
    expect(() => new StanzaLimit(1000).read(bytes(`<stream:stream xmlns='${'x'.repeat(1000)}`))).toThrow(TooLargeError);
  });
});
