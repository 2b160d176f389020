import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { MAX_BODY_LENGTH, type ChatState, type MessageState, type MessageView } from '../../../electron/contract/contract.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { dayBegunAt, timeOfDay } from './days.js';
import { MessageText } from './MessageText.js';

/** After this long without a keystroke, "typing…" becomes "paused" (XEP-0085 suggests a few seconds). */
export const PAUSED_AFTER_MS = 5_000;

const stateIcons: Record<Exclude<MessageState, 'received'>, string> = { queued: '◷', sent: '✓', delivered: '✓✓', failed: '!' };
const stateHints: Record<Exclude<MessageState, 'received'>, string> = {
  queued: 'Waiting to be sent',
  sent: 'The server has it',
  delivered: 'Delivered to their device',
  failed: 'Could not be sent',
};

/** Within this many pixels of the bottom, the conversation stays there as messages come. */
const PINNED_WITHIN_PX = 48;
/** Within this many pixels of the top, older messages are asked for. */
const REACH_TOP_WITHIN_PX = 200;

const MessageContent = memo(function MessageContent({ message, peerName, onRetry, onOpenLink }: { message: MessageView; peerName: string; onRetry: (id: string) => void; onOpenLink: (url: string) => void }) {
  const outgoing = message.direction === 'out';
  // In a room, each message says which occupant wrote it.
  const sender = outgoing ? undefined : message.sender;
  return (
    <>
      <div className="message-bubble">
        {sender !== undefined && (
          <span className="message-sender" aria-hidden="true">
            {sender}
          </span>
        )}
        <span className="visually-hidden">{outgoing ? 'You: ' : `${sender ?? peerName}: `}</span>
        {message.mention && <span className="message-mention-label">mentions you · </span>}
        <span className="message-body">
          <MessageText text={message.body} onOpenLink={onOpenLink} />
        </span>
      </div>
      <div className="message-meta">
        <time dateTime={message.at}>{timeOfDay(message.at)}</time>
        {message.state !== 'received' && (
          <span className="message-state" title={stateHints[message.state]}>
            {' · '}
            <span className="message-state-icon" aria-hidden="true">
              {stateIcons[message.state]}
            </span>{' '}
            {message.state}
          </span>
        )}
        {message.state === 'failed' && (
          <>
            {' '}
            <button type="button" className="link-button" onClick={() => onRetry(message.id)}>
              Retry
            </button>
          </>
        )}
      </div>
    </>
  );
});

/** Sends composing / paused / active as the user types (XEP-0085), each only when it changes. */
function useOwnChatState(onChatState: (state: ChatState) => void) {
  const current = useRef<ChatState>('active');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const report = useRef(onChatState);
  useEffect(() => {
    report.current = onChatState;
  });
  const set = (state: ChatState) => {
    if (current.current === state) return;
    current.current = state;
    report.current(state);
  };
  useEffect(
    () => () => {
      clearTimeout(timer.current);
      // Leaving the conversation mid-sentence: the peer should not see "typing…" forever.
      if (current.current === 'composing') report.current('paused');
    },
    [],
  );
  return {
    typed(text: string) {
      clearTimeout(timer.current);
      if (text.trim() === '') {
        if (current.current !== 'active') set('active');
        return;
      }
      set('composing');
      timer.current = setTimeout(() => set('paused'), PAUSED_AFTER_MS);
    },
    /** The message itself tells the peer the user stopped typing. */
    sent() {
      clearTimeout(timer.current);
      current.current = 'active';
    },
  };
}

export interface ConversationProps {
  /** At the start of the header: the way back to the contacts when they are not beside it. */
  navigation?: ReactNode;
  /** The peer's name (or address). */
  title: string;
  peer: string;
  /** The peer's presence in words, when known. */
  subtitle: string | null;
  messages: readonly MessageView[];
  loading: boolean;
  peerState: ChatState | undefined;
  /** Said above the composer, e.g. that messages wait for the connection. */
  notice: string | null;
  onSend: (body: string) => Promise<unknown>;
  onRetry: (id: string) => void;
  onChatState: (state: ChatState) => void;
  onOpenLink: (url: string) => void;
  /** For the day separators' "Today" and "Yesterday"; defaults to the current time. */
  now?: Date;
  /** The user scrolled near the oldest message shown: time to load older ones. */
  onReachTop?: () => void;
  /** The user scrolled to the newest message shown while newer ones are not shown yet. */
  onReachBottom?: () => void;
  /** A message to bring into view and mark (a search result opened here). */
  focusId?: string;
  /** Beside the messages: a room's occupants and tools. */
  aside?: ReactNode;
}

/**
 * One conversation: its messages by day, their states, the peer typing, and the composer. The
 * messages are a virtual list: only those in view (and a few either side) are in the page, each
 * measured as it shows; at the bottom, it stays at the bottom as messages come and go out.
 */
export function Conversation({
  navigation,
  title,
  peer,
  subtitle,
  messages,
  loading,
  peerState,
  notice,
  onSend,
  onRetry,
  onChatState,
  onOpenLink,
  now,
  onReachTop,
  onReachBottom,
  focusId,
  aside,
}: ConversationProps) {
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const stickToBottom = useRef(focusId === undefined);
  const nearTop = useRef(false);
  const firstShownId = useRef<string | undefined>(undefined);
  const focusedId = useRef<string | undefined>(undefined);
  const ownState = useOwnChatState(onChatState);

  // The virtualizer's functions read its live state: this component is rightly left unmemoized by the React Compiler.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => 56,
    getItemKey: (index) => messages[index]?.id ?? index,
    gap: 6,
    overscan: 6,
  });
  const totalSize = virtualizer.getTotalSize();

  useEffect(() => composerRef.current?.focus(), []);
  // At the bottom, stay there: when a message comes or goes out, and as the last ones are measured.
  useLayoutEffect(() => {
    const list = listRef.current;
    if (list && stickToBottom.current) list.scrollTop = list.scrollHeight;
  }, [messages, totalSize]);
  // Older messages put above the ones in view leave those in view where they were.
  useLayoutEffect(() => {
    const before = firstShownId.current;
    firstShownId.current = messages[0]?.id;
    if (before === undefined || stickToBottom.current) return;
    const index = messages.findIndex(({ id }) => id === before);
    if (index > 0) virtualizer.scrollToIndex(index, { align: 'start' });
  }, [messages, virtualizer]);
  // A message opened from a search: into view once, in the middle.
  useLayoutEffect(() => {
    if (focusId === undefined || focusedId.current === focusId) return;
    const index = messages.findIndex(({ id }) => id === focusId);
    if (index < 0) return;
    focusedId.current = focusId;
    stickToBottom.current = false;
    virtualizer.scrollToIndex(index, { align: 'center' });
  }, [focusId, messages, virtualizer]);

  const send = () => {
    const body = draft.replace(/\s+$/, '');
    if (body.trim() === '') return;
    if (body.length > MAX_BODY_LENGTH) {
      setError(`This message is too long: at most ${MAX_BODY_LENGTH} characters.`);
      return;
    }
    setDraft('');
    setError(null);
    ownState.sent();
    stickToBottom.current = true;
    onSend(body).catch((reason: unknown) => {
      setDraft((current) => (current === '' ? body : current));
      setError(`Not sent: ${errorWords(reason)}`);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };

  return (
    <section className="conversation" aria-labelledby="conversation-title">
      <header className="conversation-header">
        {navigation}
        <div className="conversation-heading">
          <h1 id="conversation-title">{title}</h1>
          <p className="conversation-subtitle">
            {title !== peer && <span>{peer}</span>}
            {subtitle && <span>{subtitle}</span>}
          </p>
          <p className="typing-indicator" aria-live="polite">
            {peerState === 'composing' ? `${title} is typing…` : ''}
          </p>
        </div>
      </header>
      {aside}

      <div
        className="message-scroller"
        ref={listRef}
        role="log"
        aria-label={`Messages with ${title}`}
        tabIndex={0}
        onScroll={(event) => {
          const list = event.currentTarget;
          const wasAtBottom = stickToBottom.current;
          stickToBottom.current = list.scrollHeight - list.scrollTop - list.clientHeight < PINNED_WITHIN_PX;
          if (stickToBottom.current && !wasAtBottom) onReachBottom?.();
          const wasNearTop = nearTop.current;
          nearTop.current = list.scrollTop < REACH_TOP_WITHIN_PX;
          if (nearTop.current && !wasNearTop) onReachTop?.();
        }}
      >
        {messages.length === 0 && <p className="messages-empty">{loading ? 'Loading messages…' : `No messages with ${title} yet.`}</p>}
        <ol className="message-list" style={{ height: totalSize }}>
          {virtualizer.getVirtualItems().map((row) => {
            const message = messages[row.index];
            if (!message) return null;
            const day = dayBegunAt(messages, row.index, now ?? new Date());
            // A row is a message, with the separator of the day it begins above it.
            return (
              <li key={row.key} data-index={row.index} ref={virtualizer.measureElement} style={{ transform: `translateY(${row.start}px)` }} role="presentation" className="message-row">
                {day !== null && (
                  <div role="separator" aria-label={day} className="day-separator">
                    <span aria-hidden="true">{day}</span>
                  </div>
                )}
                <div
                  role="listitem"
                  aria-current={message.id === focusId ? 'true' : undefined}
                  className={`message message-${message.direction} message-${message.state}${message.mention ? ' message-mention' : ''}${message.id === focusId ? ' message-found' : ''}`}
                >
                  <MessageContent message={message} peerName={title} onRetry={onRetry} onOpenLink={onOpenLink} />
                </div>
              </li>
            );
          })}
        </ol>
      </div>

      <form className="composer" onSubmit={onSubmit}>
        {notice && <p className="composer-notice">{notice}</p>}
        {error && (
          <p className="composer-error" role="alert">
            {error}
          </p>
        )}
        <div className="composer-row">
          <textarea
            ref={composerRef}
            aria-label="Message"
            placeholder={`Message ${title}`}
            rows={1}
            value={draft}
            onChange={(event) => {
              setDraft(event.target.value);
              ownState.typed(event.target.value);
            }}
            onKeyDown={onKeyDown}
          />
          <button type="submit" className="primary" disabled={draft.trim() === ''}>
            Send
          </button>
        </div>
        <p className="composer-hint" aria-hidden="true">
          Enter sends · Shift+Enter starts a new line
        </p>
      </form>
    </section>
  );
}
