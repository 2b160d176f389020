// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- xmpp.js ships no types; this brings the connection's declarations to every tsconfig that reaches the session
/// <reference path="../../connection/types/xmpp.d.ts" />
export { xml } from '@xmpp/xml';
export type { Element } from '@xmpp/xml';
export { default as parseXml } from '@xmpp/xml/lib/parse.js';
