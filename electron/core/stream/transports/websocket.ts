// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="../xmpp.d.ts" />
/**
 * XMPP framed as RFC 7395 says for WebSocket: `<open/>` and `<close/>` instead of a stream header
 * and footer, one element per frame. Burrow's BOSH speaks the same framing to the stream layer.
 * (@xmpp/websocket has this, but not as a public export.)
 */
import Connection from '@xmpp/connection';
import { Element } from '@xmpp/xml';

import { StreamParser } from '../xml.js';

const NS_FRAMING = 'urn:ietf:params:xml:ns:xmpp-framing';

/** Each frame is a whole element: `<open/>` starts the stream, `<close/>` ends it. */
class FramedParser extends StreamParser {
  override onStartElement(name: string, attrs: Record<string, string>): void {
    const element = new Element(name, attrs);
    this.cursor?.append(element);
    this.cursor = element;
  }

  override onEndElement(name: string): void {
    const cursor = this.closing(name);
    if (cursor.parent) {
      this.cursor = cursor.parent;
      return;
    }
    if (cursor.is('open', NS_FRAMING)) this.emit('start', cursor);
    else if (cursor.is('close', NS_FRAMING)) this.emit('end', cursor);
    else this.emit('element', cursor);
    this.cursor = null;
  }
}

export class ConnectionWebSocket extends Connection {
  override send(element: Element): Promise<void> {
    element.attrs.xmlns ??= this.NS;
    return super.send(element);
  }

  override headerElement(): Element {
    const element = super.headerElement();
    element.name = 'open';
    element.attrs.xmlns = NS_FRAMING;
    return element;
  }

  override footerElement(): Element {
    return new Element('close', { xmlns: NS_FRAMING });
  }
}

ConnectionWebSocket.prototype.NS = 'jabber:client';
ConnectionWebSocket.prototype.Parser = FramedParser;
