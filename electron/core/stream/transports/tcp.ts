// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; every tsconfig reaching this file needs ours
/// <reference path="../xmpp.d.ts" />
/** XMPP over a byte stream (RFC 6120), as @xmpp/connection-tcp frames it, read with StreamParser. */
import ConnectionTCP from '@xmpp/connection-tcp';

import { StreamParser } from '../xml.js';

export class ConnectionTcp extends ConnectionTCP {}

ConnectionTcp.prototype.Parser = StreamParser;
