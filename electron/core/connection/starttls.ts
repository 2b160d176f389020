// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="./types/xmpp.d.ts" />
/**
 * STARTTLS (RFC 6120 §5) as @xmpp/starttls does it, but with Burrow's certificate trust: the
 * certificate is checked against the XMPP domain with the administrator's extra CAs, never relaxed.
 */
import { canUpgrade, upgrade } from '@xmpp/starttls/starttls.js';
import type { Client } from '@xmpp/client-core';
import type { StreamFeatures } from '@xmpp/stream-features';
import { xml } from '@xmpp/xml';

import { tlsTrustFor } from './trust.js';
import type { CertificateTrust } from './trust.js';

const NS_TLS = 'urn:ietf:params:xml:ns:xmpp-tls';

export class StartTlsRefusedError extends Error {
  override name = 'StartTlsRefusedError';
}

export function startTls(streamFeatures: StreamFeatures, entity: Client, domain: string, trust: CertificateTrust): void {
  streamFeatures.use('starttls', NS_TLS, async (_context, next) => {
    if (!canUpgrade(entity.socket)) return next();
    const answer = await entity.sendReceive(xml('starttls', { xmlns: NS_TLS }));
    if (!answer.is('proceed', NS_TLS)) throw new StartTlsRefusedError(`the server refused STARTTLS (<${answer.name}/>)`);
    entity._attachSocket(await upgrade(entity.socket, { host: domain, ...tlsTrustFor(domain, trust) }));
    await entity.restart();
  });
}
