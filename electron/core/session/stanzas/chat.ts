/** One-to-one chat messages: XEP-0359 ids, XEP-0184 receipts, XEP-0085 chat states, XEP-0308 corrections. */
import { MAX_BODY_LENGTH } from '../../../contract/contract.js';
import { bareJid, conversationJid, fullJidOf, parseJid } from './jid.js';
import { NS_CHAT_STATES, NS_CORRECTION, NS_DELAY, NS_HINTS, NS_MUC_USER, NS_OOB, NS_RECEIPTS, NS_STANZA_ERRORS, NS_STANZA_ID } from './namespaces.js';
import { ignored } from './parsed.js';
import type { Ignored } from './parsed.js';
import { xml } from './xml.js';
import type { Element } from './xml.js';

export const chatStates = ['active', 'composing', 'paused', 'inactive', 'gone'] as const;
export type ChatState = (typeof chatStates)[number];

export interface OutgoingChat {
  to: string;
  body: string;
  originId: string;
  /** A correction (XEP-0308): the stanza id of the message it corrects, the first one, never a correction of it. */
  replaces?: string | undefined;
  /** The body is a shared file's address (XEP-0363): an XEP-0066 link to it goes along, so clients show the file. */
  oob?: boolean;
}

/**
 * The stanza's id is the origin-id too, so that a receipt (which names the stanza id) and a
 * bounce (which repeats it) both lead straight back to the outbox entry. Burrow writes one-to-one
 * to bare JIDs only: one to a full JID is a private message to a room's occupant, marked as such (XEP-0045 §7.5).
 */
export function chatMessage({ to, body, originId, replaces, oob = false }: OutgoingChat): Element {
  return xml(
    'message',
    { type: 'chat', to, id: originId },
    xml('body', {}, body),
    parseJid(to)?.resource ? xml('x', { xmlns: NS_MUC_USER }) : null,
    oob ? xml('x', { xmlns: NS_OOB }, xml('url', {}, body)) : null,
    xml('origin-id', { xmlns: NS_STANZA_ID, id: originId }),
    replaces !== undefined && xml('replace', { xmlns: NS_CORRECTION, id: replaces }),
    xml('request', { xmlns: NS_RECEIPTS }),
    xml('active', { xmlns: NS_CHAT_STATES }),
  );
}

export function receipt({ to, receivedId }: { to: string; receivedId: string }): Element {
  return xml('message', { to }, xml('received', { xmlns: NS_RECEIPTS, id: receivedId }), xml('store', { xmlns: NS_HINTS }));
}

export function chatStateNotification({ to, state }: { to: string; state: ChatState }): Element {
  return xml('message', { type: 'chat', to }, xml(state, { xmlns: NS_CHAT_STATES }), xml('no-store', { xmlns: NS_HINTS }));
}

export interface InboundChat {
  kind: 'chat';
  from: string;
  to: string | null;
  id: string | null;
  body: string;
  originId: string | null;
  /** Only the stanza-id stamped by the user's own server archive; anyone else's could be forged. */
  stanzaId: string | null;
  requestsReceipt: boolean;
  chatState: ChatState | null;
  /** When the sender sent it, for a message the server held back (XEP-0203), as ISO 8601. */
  delayedFrom: string | null;
  /** A correction (XEP-0308): the stanza id of the sender's message it corrects. */
  replaces: string | null;
  /** A private message through a room (XEP-0045 §7.5): its conversation is the occupant's, not the room's. */
  privateInRoom: boolean;
}

export interface InboundReceipt {
  kind: 'receipt';
  from: string;
  receivedId: string;
  privateInRoom: boolean;
}

export interface InboundChatState {
  kind: 'chat-state';
  from: string;
  state: ChatState;
  privateInRoom: boolean;
}

/**
 * The conversation a chat stanza to or from `jid` belongs to: the bare JID, or for a private
 * message through a room the occupant's full JID (`room@service/nick`), so that it is never taken
 * for a one-to-one chat with the room itself.
 */
export function conversationWith(jid: string | null | undefined, { privateInRoom }: { privateInRoom: boolean }): string | null {
  return privateInRoom ? conversationJid(jid ?? undefined) : bareJid(jid ?? undefined);
}

export interface MessageBounce {
  kind: 'bounce';
  from: string;
  /** The id of the message that bounced: our origin-id. */
  id: string;
  condition: string;
  text: string | null;
}

export type InboundMessage = InboundChat | InboundReceipt | InboundChatState | MessageBounce;

/** Reads a one-to-one `<message/>`; `ownBareJid` decides whose stanza-ids are trusted. */
export function parseMessage(message: Element, ownBareJid: string): InboundMessage | Ignored {
  if (!message.is('message')) return ignored(`expected a message, got <${message.name}>`);
  const sender = parseJid(message.attrs.from);
  if (!sender) return ignored(`the message has no valid sender (from=${JSON.stringify(message.attrs.from ?? null)})`);
  const from = fullJidOf(sender);
  const type = message.attrs.type ?? 'normal';
  if (type === 'error') return parseBounce(message, from);
  if (type === 'groupchat' || type === 'headline') return ignored(`${type} messages are not one-to-one chat`);
  // Only an occupant (a full JID) writes privately through a room; the room's own messages are no chat.
  const privateInRoom = message.getChild('x', NS_MUC_USER) !== undefined && sender.resource !== null;

  const received = message.getChild('received', NS_RECEIPTS);
  if (received) {
    const receivedId = received.attrs.id;
    return receivedId ? { kind: 'receipt', from, receivedId, privateInRoom } : ignored('a receipt without the id of the message it confirms');
  }

  const chatState = chatStateOf(message);
  const body = message.getChild('body');
  if (!body) return chatState ? { kind: 'chat-state', from, state: chatState, privateInRoom } : ignored('a message with no body, receipt or chat state');
  const text = body.text();
  if (text.length > MAX_BODY_LENGTH) {
    return ignored(`a message from ${from} of ${text.length.toLocaleString('en-US')} characters, over the ${MAX_BODY_LENGTH.toLocaleString('en-US')} Burrow takes`);
  }
  const originId = message.getChild('origin-id', NS_STANZA_ID)?.attrs.id ?? null;
  return {
    kind: 'chat',
    from,
    to: message.attrs.to ?? null,
    id: message.attrs.id ?? null,
    body: text,
    originId,
    stanzaId: stanzaIdBy(message, ownBareJid),
    requestsReceipt: message.getChild('request', NS_RECEIPTS) !== undefined,
    chatState,
    delayedFrom: isoTime(message.getChild('delay', NS_DELAY)?.attrs.stamp),
    replaces: message.getChild('replace', NS_CORRECTION)?.attrs.id || null,
    privateInRoom,
  };
}

/** A valid XEP-0082 time as ISO 8601, else null. */
export function isoTime(stamp: string | undefined): string | null {
  if (stamp === undefined) return null;
  const time = Date.parse(stamp);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function stanzaIdBy(message: Element, archiveBareJid: string): string | null {
  const stamped = message
    .getChildElements()
    .find((child) => child.is('stanza-id', NS_STANZA_ID) && bareJid(child.attrs.by) === archiveBareJid && child.attrs.id);
  return stamped?.attrs.id ?? null;
}

function chatStateOf(message: Element): ChatState | null {
  return chatStates.find((state) => message.getChild(state, NS_CHAT_STATES)) ?? null;
}

function parseBounce(message: Element, from: string): MessageBounce | Ignored {
  const { id } = message.attrs;
  if (!id) return ignored('an error message that does not say which message bounced');
  const error = message.getChild('error');
  const condition = error?.getChildElements().find((child) => child.attrs.xmlns === NS_STANZA_ERRORS && child.name !== 'text');
  return {
    kind: 'bounce',
    from,
    id,
    condition: condition?.name ?? 'undefined-condition',
    text: error?.getChildText('text', NS_STANZA_ERRORS) ?? null,
  };
}
