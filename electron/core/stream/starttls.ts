// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="./xmpp.d.ts" />
/**
 * STARTTLS (RFC 6120 §5) on an adopted plain TCP socket, secured the way Burrow says (its
 * certificate trust: checked against the XMPP domain, never relaxed).
 */
import type { StreamFeatures } from '@xmpp/stream-features';

import type { AdoptedSocket, SecureSocket } from './adopted-socket.js';
import { xml } from './xml.js';

const NS_TLS = 'urn:ietf:params:xml:ns:xmpp-tls';

export class StartTlsRefusedError extends Error {
  override name = 'StartTlsRefusedError';
}

export function startTls(streamFeatures: StreamFeatures, socket: AdoptedSocket, secure: SecureSocket): void {
  streamFeatures.use('starttls', NS_TLS, async ({ entity }, next) => {
    if (!socket.canStartTls) return next();
    const answer = await entity.sendReceive(xml('starttls', { xmlns: NS_TLS }));
    if (!answer.is('proceed', NS_TLS)) throw new StartTlsRefusedError(`the server refused STARTTLS (<${answer.name}/>)`);
    await socket.startTls(secure);
    await entity.restart();
  });
}

/** These features ask for STARTTLS first, and the socket can do it. */
export function upgradePending(features: { getChild(name: string, xmlns: string): unknown }, socket: AdoptedSocket): boolean {
  return socket.canStartTls && features.getChild('starttls', NS_TLS) !== undefined;
}
