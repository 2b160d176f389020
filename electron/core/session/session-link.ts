/**
 * What the parts of a session (messaging, archive sync, roster and presence) share: the stream
 * they work over, as the session exposes it, and the events they tell the account.
 */
import type { XmppStream, XmppStreamEvents } from '../stream/xmpp-stream.js';
import type { HistoryMessage } from './history.js';
import type { RoomEvent } from './rooms.js';
import type { ChatState } from './stanzas/chat.js';
import type { Availability, SubscriptionRequest } from './stanzas/presence.js';
import type { RosterItem } from './stanzas/roster.js';
import type { Element } from './stanzas/xml.js';

export type SessionEvent =
  | { type: 'status'; status: 'online' | 'resumed' | 'offline' }
  | { type: 'roster'; items: RosterItem[] }
  | { type: 'presence'; from: string; availability: Availability; status: string | null }
  | { type: 'subscription'; from: string; request: SubscriptionRequest }
  | { type: 'message'; message: HistoryMessage }
  /** A message's state moved: `message` as it is now. */
  | { type: 'message-state'; message: HistoryMessage }
  /** `peer`: the sender's bare JID, the conversation's key (a notification comes from one of their devices, a full JID). */
  | { type: 'chat-state'; peer: string; state: ChatState }
  /** A contact (or the user) shows another avatar: its id, null for none; where to fetch it from. */
  | { type: 'avatar-announced'; from: string; id: string | null; source: 'pep' | 'vcard' }
  | { type: 'ignored'; reason: string }
  | { type: 'error'; message: string }
  /** The archive is filling in what came while the account was away (`fetched` so far), or is done (null). */
  | { type: 'catching-up'; fetched: number | null }
  /**
   * The path has been silent for max(1.5 s, 4 × its round trip) while something waits for the
   * server: it may be dead. The stream stays; a path found meanwhile can take it over (`attach`).
   */
  | { type: 'suspect' }
  | RoomEvent;

/** What the session needs of a stream: an `XmppStream` that won the race, before it signs in. */
export interface SessionClient
  extends Pick<
    XmppStream,
    | 'authenticate'
    | 'send'
    | 'request'
    | 'managed'
    | 'lastHeardAt'
    | 'answerDueAt'
    | 'lastAckAt'
    | 'heardSinceResumed'
    | 'ackRequestedAt'
    | 'roundTripMs'
    | 'requestAck'
    | 'unacknowledged'
    | 'exportState'
    | 'drop'
    | 'stop'
    | 'endedHere'
  > {
  on<K extends keyof XmppStreamEvents>(event: K, listener: (...args: XmppStreamEvents[K]) => void): unknown;
  off<K extends keyof XmppStreamEvents>(event: K, listener: (...args: XmppStreamEvents[K]) => void): unknown;
}

/** The live stream as the session's parts see it. */
export interface SessionLink {
  /** The stream's client while it is signed in and up; null otherwise. */
  readonly client: SessionClient | null;
  /** An iq request over the live stream; it fails at once if the stream goes, or after `timeoutMs` (30 s unless given). */
  request(iq: Element, timeoutMs?: number): Promise<Element>;
  /** Resolves once every stanza received so far is handled. */
  received(): Promise<void>;
  emit(event: SessionEvent): void;
  reportError(error: unknown): void;
}
