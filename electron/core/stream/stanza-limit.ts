/**
 * The size limit on what a server sends, counted as the bytes arrive: before they reach the XML
 * parser, and without keeping more than one stanza of them. Prosody (c2s_stanza_size_limit) and
 * ejabberd (max_stanza_size) limit their clients the same way. The same reading refuses the markup
 * that no well-formed XML has and that the parser would read on past.
 */
import { MalformedXmlError, TooLargeError } from './errors.js';

/** The most one stanza may take: 256 KiB, Prosody's default for clients. */
export const MAX_STANZA_BYTES = 256 * 1024;

/** The ASCII bytes that markup is made of; 0x20 and below are white space to a tag. */
const Byte = { Lt: 0x3c, Gt: 0x3e, Slash: 0x2f, Question: 0x3f, Bang: 0x21, Equals: 0x3d, DoubleQuote: 0x22, SingleQuote: 0x27, Dash: 0x2d, Bracket: 0x5d, Space: 0x20, Tab: 0x09, LineFeed: 0x0a, CarriageReturn: 0x0d } as const;

/** Where the reader stands in the XML. */
const At = {
  Text: 0,
  /** After `<`. */
  TagName: 1,
  /** Past the name, between attributes. */
  Tag: 2,
  AttributeName: 3,
  /** Past an attribute's name, until its `=`. */
  AttributeEquals: 4,
  /** Past the `=`, until the quote. */
  AttributeQuote: 5,
  AttributeValue: 6,
  /** After `<!`, while what follows may still be `[CDATA[`. */
  Bang: 7,
  CData: 8,
  /** Any other `<!…`, a comment or a DTD, ends at the next `-->`. */
  Comment: 9,
  /** `<?…?>` */
  Instruction: 10,
} as const;
type At = (typeof At)[keyof typeof At];

const CDATA_OPENING = Buffer.from('[CDATA[');
/** Bytes that no name holds (of an element or an attribute), and that start none. */
const NOT_IN_NAMES = new Set<number>([Byte.Lt, Byte.Gt, Byte.Slash, Byte.DoubleQuote, Byte.SingleQuote, Byte.Equals]);

/**
 * Reads an XML document (a stream, a BOSH body, a frame) chunk by chunk, each byte once, and knows
 * where each element directly under the root (a stanza of a stream, a payload of a BOSH body) ends;
 * the bytes since the last such end (or since the root's start tag) may not pass the limit. It reads
 * markup as xmpp.js's parser (ltx) does: where it finds an end, the parser is between two elements
 * too, holding nothing back. Where ltx would read on past what no well-formed XML has (a quote left
 * open runs on into the next tags; an end tag with no element open, or a second root, has it trip
 * over its own state), it throws a MalformedXmlError instead. Every byte it looks for is ASCII, never
 * part of a multi-byte UTF-8 character: bytes can be read as they come.
 */
export class StanzaLimit {
  #at: At = At.Text;
  #depth = 0;
  /** The root element has ended: nothing but white space, comments and instructions may follow. */
  #rootEnded = false;
  /** Bytes read since the last end of a top-level element. */
  #pending = 0;
  /** In a tag name: nothing but `/` came since the `<`. */
  #nameStarting = false;
  #endTag = false;
  #selfClosing = false;
  /** The quote that ends the attribute value being read. */
  #quote = 0;
  /** How much of `[CDATA[` followed the `<!`. */
  #cdataMatched = 0;
  /** The last two bytes taken one by one (not those jumped over in text or a value), for `?>`, `-->` and `]]>`. */
  #previous = 0;
  #beforePrevious = 0;
  /** Below this depth, text may be white space only: outside the root, and in a stream between its stanzas. */
  readonly #textFromDepth: number;

  /**
   * `stanzasOnly`: the root holds nothing but elements (an XMPP stream), so text directly in it is
   * refused too; a frame's root is a stanza, which may hold text (SASL's `<challenge>`).
   */
  constructor(
    private readonly limitBytes: number,
    { stanzasOnly = false }: { stanzasOnly?: boolean } = {},
  ) {
    this.#textFromDepth = stanzasOnly ? 2 : 1;
  }

  /** Between elements, with no element open: a frame read so far is whole elements only. */
  get atRest(): boolean {
    return this.#at === At.Text && this.#depth === 0;
  }

  /**
   * Reads the next bytes; returns how many of them end whole top-level elements (the rest belongs to
   * one still open). Throws TooLargeError once one has passed the limit, MalformedXmlError at markup
   * that is not well-formed.
   */
  read(chunk: Uint8Array): number {
    let end = 0;
    for (let index = 0; index < chunk.length; index += 1) {
      if (this.#at === At.Text || this.#at === At.AttributeValue) {
        // The long stretches: jump to the byte that ends them.
        const stop = chunk.indexOf(this.#at === At.Text ? Byte.Lt : this.#quote, index);
        if (this.#at === At.Text && this.#depth < this.#textFromDepth) this.#whiteSpaceOnly(chunk.subarray(index, stop === -1 ? chunk.length : stop));
        if (this.#at === At.AttributeValue && chunk.subarray(index, stop === -1 ? chunk.length : stop).includes(Byte.Lt)) {
          throw new MalformedXmlError("a '<' in an attribute value (a quote left open?)");
        }
        if (stop === -1) break;
        index = stop;
      }
      const byte = chunk[index] ?? 0;
      if (this.#take(byte) && this.#depth <= 1) {
        this.#pending += index + 1 - end;
        this.#check();
        this.#pending = 0;
        end = index + 1;
      }
      this.#beforePrevious = this.#previous;
      this.#previous = byte;
    }
    this.#pending += chunk.length - end;
    this.#check();
    return end;
  }

  /** Takes one byte; true when it ends a tag, CDATA, a comment or an instruction. */
  #take(byte: number): boolean {
    switch (this.#at) {
      case At.Text: // at a '<': read() jumps there
        [this.#at, this.#nameStarting, this.#endTag, this.#selfClosing] = [At.TagName, true, false, false];
        return false;
      case At.TagName:
        return this.#nameByte(byte);
      case At.Tag:
        if (byte === Byte.Gt) return this.#tagEnded();
        if (byte === Byte.Slash) this.#selfClosing = true;
        else if (NOT_IN_NAMES.has(byte)) throw unexpectedInTag(byte);
        else if (byte > Byte.Space) this.#at = At.AttributeName;
        return false;
      case At.AttributeName:
        if (byte > Byte.Space && byte !== Byte.Equals) {
          if (NOT_IN_NAMES.has(byte)) throw unexpectedInTag(byte);
          return false;
        }
        this.#at = At.AttributeEquals;
        return this.#take(byte);
      case At.AttributeEquals:
        if (byte === Byte.Equals) this.#at = At.AttributeQuote;
        else if (byte > Byte.Space) throw new MalformedXmlError("an attribute without '='");
        return false;
      case At.AttributeQuote:
        if (byte === Byte.DoubleQuote || byte === Byte.SingleQuote) [this.#at, this.#quote] = [At.AttributeValue, byte];
        else if (byte > Byte.Space) throw new MalformedXmlError('an attribute value without quotes');
        return false;
      case At.AttributeValue: // at its closing quote: read() jumps there
        this.#at = At.Tag;
        return false;
      case At.Bang:
        if (byte === CDATA_OPENING[this.#cdataMatched]) {
          this.#cdataMatched += 1;
          if (this.#cdataMatched === CDATA_OPENING.length) this.#at = At.CData;
          return false;
        }
        this.#at = At.Comment;
        return this.#take(byte);
      case At.CData:
        return this.#endsWith(byte, Byte.Bracket, Byte.Bracket);
      case At.Comment:
        return this.#endsWith(byte, Byte.Dash, Byte.Dash);
      case At.Instruction:
        return byte === Byte.Gt && this.#previous === Byte.Question && this.#markupEnded();
    }
  }

  #nameByte(byte: number): boolean {
    const first = this.#nameStarting;
    this.#nameStarting = false;
    if (byte === Byte.Slash && first) [this.#endTag, this.#nameStarting] = [true, true];
    else if (byte === Byte.Bang) [this.#at, this.#cdataMatched] = [At.Bang, 0];
    else if (byte === Byte.Question) this.#at = At.Instruction;
    else if (first && (byte <= Byte.Space || byte === Byte.Slash || byte === Byte.Gt)) throw new MalformedXmlError('a tag without a name');
    else if (byte <= Byte.Space || byte === Byte.Slash || byte === Byte.Gt) {
      this.#at = At.Tag;
      return this.#take(byte);
    } else if (NOT_IN_NAMES.has(byte)) throw unexpectedInTag(byte);
    return false;
  }

  #tagEnded(): true {
    if (this.#endTag) {
      if (this.#depth === 0) throw new MalformedXmlError('an end tag closes no element');
      this.#depth -= 1;
    } else {
      if (this.#depth === 0 && this.#rootEnded) throw new MalformedXmlError('a second root element');
      if (!this.#selfClosing) this.#depth += 1;
    }
    if (this.#depth === 0) this.#rootEnded = true;
    return this.#markupEnded();
  }

  /** A '>' after these two bytes ends CDATA or a comment. */
  #endsWith(byte: number, beforePrevious: number, previous: number): boolean {
    return byte === Byte.Gt && this.#previous === previous && this.#beforePrevious === beforePrevious && this.#markupEnded();
  }

  #markupEnded(): true {
    this.#at = At.Text;
    return true;
  }

  /** Text where only white space may be: outside the root, or between a stream's stanzas. */
  #whiteSpaceOnly(text: Uint8Array): void {
    for (const byte of text) {
      if (byte !== Byte.Space && byte !== Byte.Tab && byte !== Byte.LineFeed && byte !== Byte.CarriageReturn) {
        throw new MalformedXmlError(this.#depth === 0 ? 'text outside its root element' : 'text between its stanzas');
      }
    }
  }

  #check(): void {
    if (this.#pending > this.limitBytes) throw new TooLargeError('stanza', this.limitBytes);
  }
}

function unexpectedInTag(byte: number): MalformedXmlError {
  return new MalformedXmlError(`an unexpected ${String.fromCharCode(byte)} in a tag`);
}
