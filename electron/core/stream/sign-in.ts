// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="./xmpp.d.ts" />
/**
 * SASL (RFC 6120 §6) through @xmpp/sasl, with Burrow's rules: SCRAM-SHA-256, then SCRAM-SHA-1, then
 * PLAIN over an encrypted channel only; SCRAM's proof of the server checked; and nothing sent
 * until the credentials are given, so that a racing attempt never authenticates.
 */
import type Connection from '@xmpp/connection';
import sasl from '@xmpp/sasl';
import type { SaslCredentials } from '@xmpp/sasl';
import saslPlain from '@xmpp/sasl-plain';
import type { StreamFeatures } from '@xmpp/stream-features';
import SASLFactory from 'saslmechanisms';

import { UnsafeSignInError } from './errors.js';
import { ScramSha1, ScramSha256, type Scram } from './scram.js';
import type { Element } from './xml.js';

const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';

export interface SignIn {
  /** The SASL mechanism the sign-in used, once it started. */
  mechanism(): string;
}

export function signInWhenGiven(streamFeatures: StreamFeatures, entity: Connection, credentials: Promise<SaslCredentials>): SignIn {
  let scramInUse: Scram | undefined;
  const remember = (scram: Scram) => (scramInUse = scram);
  const remembered = (Mechanism: new () => Scram) =>
    class extends Mechanism {
      constructor() {
        super();
        remember(this);
      }
    };
  // In order of preference: @xmpp/sasl picks the first one the server offers too.
  const saslFactory = new SASLFactory();
  saslFactory.use('SCRAM-SHA-256', remembered(ScramSha256));
  saslFactory.use('SCRAM-SHA-1', remembered(ScramSha1));
  saslPlain(saslFactory);

  let mechanismUsed = '';
  sasl({ streamFeatures, saslFactory }, async (done, mechanisms) => {
    const [preferred = ''] = mechanisms;
    const given = await credentials;
    if (preferred === 'PLAIN' && !entity.isSecure()) {
      throw new UnsafeSignInError('the server offers only PLAIN sign-in, which would send the password readable over this unencrypted path');
    }
    mechanismUsed = preferred;
    // @xmpp/sasl ignores what <success/> carries; SCRAM's proof of the server is in it.
    let successData = '';
    const onNonza = (element: Element) => {
      if (element.is('success', NS_SASL)) successData = Buffer.from(element.text(), 'base64').toString('utf8');
    };
    entity.on('nonza', onNonza);
    try {
      await done(given, preferred);
    } finally {
      entity.off('nonza', onNonza);
    }
    scramInUse?.verifyServerFinal(successData);
  });
  return { mechanism: () => mechanismUsed };
}
