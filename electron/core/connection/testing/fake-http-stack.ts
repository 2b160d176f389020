import type { HttpReply, HttpStack, XmlPost } from '../http-stack.js';
import { parseXml } from '../../stream/xml.js';

const FEATURES =
  "<stream:features xmlns:stream='http://etherx.jabber.org/streams'><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>";

/**
 * An HTTP stack that is its own BOSH connection manager, in memory: it answers session creation
 * with stream features, a terminate with its end, and holds every other request until it is aborted. It records what it was
 * asked, so that a test can tell this stack, and no other, carried the session.
 */
export class FakeHttpStack implements HttpStack {
  readonly posts: XmlPost[] = [];
  closed = false;

  post(request: XmlPost) {
    this.posts.push(request);
    const body = parseXml(request.body);
    if (body?.attrs.sid === undefined) {
      const attrs = `sid='fake-sid' wait='${body?.attrs.wait}' requests='2' hold='1' from='${body?.attrs.to}' xmlns:xmpp='urn:xmpp:xbosh' xmpp:version='1.0'`;
      return answer(attrs, FEATURES);
    }
    if (body.attrs.type === 'terminate') return answer("type='terminate'", '');
    return new Promise<never>((_resolve, reject) => {
      request.signal.addEventListener('abort', () => reject(request.signal.reason as Error), { once: true });
    });
  }

  close(): void {
    this.closed = true;
  }
}

/** A turn of the event loop later, as over any network: the stream layer listens for the answer once its request is written. */
function answer(attrs: string, payload: string) {
  const text = `<body xmlns='http://jabber.org/protocol/httpbind' ${attrs}>${payload}</body>`;
  return new Promise<HttpReply>((resolve) => setImmediate(() => resolve({ status: 200, statusText: 'OK', text, utf8: true })));
}
