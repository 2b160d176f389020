import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { MAX_BODY_LENGTH, type ChatState, type MessageState, type MessageView } from '../../../electron/contract/contract.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { EDIT_NOT_DELIVERED, editFailedWords } from '../../../electron/contract/message-words.js';
import { dayBegunAt, timeOfDay } from './days.js';
import type { PeerChatState } from './messagingState.js';
import { sharedFileOf, type SharedFile } from './files.js';
import { MessageText } from './MessageText.js';
import { SharedFileView } from './SharedFileView.js';
import type { FileSharing } from './useFileSharing.js';

/** After this long without a keystroke, "typing…" becomes "paused" (XEP-0085 suggests a few seconds). */
export const PAUSED_AFTER_MS = 5_000;

/**
 * "typing…" goes after this long with no word from the peer, as other clients do: a client that
 * went away mid-sentence, or a "paused" lost on the way, does not leave it up for good.
 */
export const TYPING_SHOWN_FOR_MS = 30_000;

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

interface SharedFileHandlers {
  fetchFile: (url: string, purpose: 'preview') => Promise<Blob>;
  onDownload: (file: SharedFile) => void;
}

const MessageContent = memo(function MessageContent({
  message,
  peerName,
  onRetry,
  onOpenLink,
  onEdit,
  files,
}: {
  message: MessageView;
  peerName: string;
  onRetry: (id: string) => void;
  onOpenLink: (url: string) => void;
  /** Only for the user's last message: it may be corrected. */
  onEdit?: (() => void) | undefined;
  files: SharedFileHandlers | undefined;
}) {
  const outgoing = message.direction === 'out';
  const shared = files ? sharedFileOf(message.body) : null;
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
          {shared && files ? <SharedFileView file={shared} fetchFile={files.fetchFile} onDownload={files.onDownload} /> : <MessageText text={message.body} onOpenLink={onOpenLink} />}
        </span>
      </div>
      <div className="message-meta">
        <time dateTime={message.at}>{timeOfDay(message.at)}</time>
        {message.edited && <span className="message-edited"> · edited</span>}
        {message.editFailed && (
          <span className="message-edit-failed" title={editFailedWords(message.editFailed)}>
            {' · '}
            {EDIT_NOT_DELIVERED}
            <span className="visually-hidden">. {editFailedWords(message.editFailed)}</span>
          </span>
        )}
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
        {onEdit && (
          <>
            {' · '}
            <button type="button" className="link-button" onClick={onEdit}>
              Edit
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

/** The peer is typing: told so, less than `TYPING_SHOWN_FOR_MS` ago. */
function usePeerTyping(peerState: PeerChatState | undefined): boolean {
  const [expired, setExpired] = useState<PeerChatState | null>(null);
  useEffect(() => {
    if (peerState?.state !== 'composing') return;
    const timer = setTimeout(() => setExpired(peerState), TYPING_SHOWN_FOR_MS);
    return () => clearTimeout(timer);
  }, [peerState]);
  return peerState?.state === 'composing' && expired !== peerState;
}

export interface ConversationProps {
  /** At the start of the header: the way back to the contacts when they are not beside it. */
  navigation?: ReactNode;
  /** The peer's name (or address). */
  title: string;
  /** Their picture, beside the name in the header. */
  avatar?: ReactNode;
  peer: string;
  /** The peer's presence in words, when known. */
  subtitle: string | null;
  messages: readonly MessageView[];
  loading: boolean;
  peerState: PeerChatState | undefined;
  /** Said above the composer, e.g. that messages wait for the connection. */
  notice: string | null;
  onSend: (body: string) => Promise<unknown>;
  /** Replaces the text of the user's message `id` (XEP-0308). */
  /** Corrects one of the user's messages (XEP-0308); none in a room, where corrections are not sent. */
  onCorrect?: ((id: string, body: string) => Promise<unknown>) | undefined;
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
  /** Sharing files (XEP-0363): attach, paste, drop, progress, previews. */
  files?: FileSharing;
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
  avatar,
  title,
  peer,
  subtitle,
  messages,
  loading,
  peerState,
  notice,
  onSend,
  onCorrect,
  onRetry,
  onChatState,
  onOpenLink,
  now,
  onReachTop,
  onReachBottom,
  focusId,
  files,
  aside,
}: ConversationProps) {
  const [draft, setDraft] = useState('');
  /** The user's message being corrected in the composer, if one is. */
  const [editingId, setEditingId] = useState<string | null>(null);
  const lastOwn = onCorrect ? messages.findLast(({ direction }) => direction === 'out') : undefined;
  const [error, setError] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const composerRef = useRef<HTMLTextAreaElement>(null);
  const stickToBottom = useRef(focusId === undefined);
  const nearTop = useRef(false);
  const firstShownId = useRef<string | undefined>(undefined);
  const focusedId = useRef<string | undefined>(undefined);
  const ownState = useOwnChatState(onChatState);
  const peerTyping = usePeerTyping(peerState);
  const fileInputRef = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const fetchFile = files?.fetchFile;
  const download = files?.download;
  const sharedFileHandlers = useMemo(() => (fetchFile && download ? { fetchFile, onDownload: download } : undefined), [fetchFile, download]);
  const shareAll = (list: FileList | null | undefined) => {
    if (!files || !list) return false;
    const picked = Array.from(list);
    for (const file of picked) files.share(file);
    if (picked.length > 0) stickToBottom.current = true;
    return picked.length > 0;
  };

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

  const editLastOwn = () => {
    if (!lastOwn) return;
    setEditingId(lastOwn.id);
    setDraft(lastOwn.body);
    setError(null);
    composerRef.current?.focus();
  };
  const stopEditing = () => {
    setEditingId(null);
    setDraft('');
  };

  const send = () => {
    const body = draft.replace(/\s+$/, '');
    if (body.trim() === '') return;
    if (body.length > MAX_BODY_LENGTH) {
      setError(`This message is too long: at most ${MAX_BODY_LENGTH} characters.`);
      return;
    }
    const correcting = editingId;
    setDraft('');
    setEditingId(null);
    setError(null);
    ownState.sent();
    if (correcting !== null && onCorrect) {
      if (body === messages.find(({ id }) => id === correcting)?.body) return;
      // The message keeps its text, so ↑ brings it back to try again.
      onCorrect(correcting, body).catch((reason: unknown) => setError(`Not corrected: ${errorWords(reason)}`));
      return;
    }
    stickToBottom.current = true;
    onSend(body).catch((reason: unknown) => {
      setDraft((current) => (current === '' ? body : current));
      setError(`Not sent: ${errorWords(reason)}`);
    });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    const plain = !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey && !event.nativeEvent.isComposing;
    if (event.key === 'Enter' && plain) {
      event.preventDefault();
      send();
    } else if (event.key === 'ArrowUp' && plain && draft === '' && lastOwn) {
      event.preventDefault();
      editLastOwn();
    } else if (event.key === 'Escape' && editingId !== null) {
      event.preventDefault();
      stopEditing();
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send();
  };

  return (
    <section
      className={`conversation${dragging ? ' conversation-dropping' : ''}`}
      aria-labelledby="conversation-title"
      onDragOver={(event) => {
        if (!files || !event.dataTransfer.types.includes('Files')) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        setDragging(false);
        if (shareAll(event.dataTransfer.files)) event.preventDefault();
      }}
    >
      <header className="conversation-header">
        {navigation}
        {avatar}
        <div className="conversation-heading">
          <h1 id="conversation-title">{title}</h1>
          <p className="conversation-subtitle">
            {title !== peer && <span>{peer}</span>}
            {subtitle && <span>{subtitle}</span>}
          </p>
          <p className="typing-indicator" aria-live="polite">
            {peerTyping ? `${title} is typing…` : ''}
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
                  <MessageContent
                    message={message}
                    peerName={title}
                    onRetry={onRetry}
                    onOpenLink={onOpenLink}
                    onEdit={message === lastOwn ? editLastOwn : undefined}
                    files={sharedFileHandlers}
                  />
                </div>
              </li>
            );
          })}
        </ol>
      </div>

      <form className="composer" onSubmit={onSubmit}>
        {notice && <p className="composer-notice">{notice}</p>}
        {editingId !== null && (
          <p className="composer-notice">
            Correcting your message: Enter replaces it, Esc leaves it as it was ·{' '}
            <button type="button" className="link-button" onClick={stopEditing}>
              Cancel
            </button>
          </p>
        )}
        {error && (
          <p className="composer-error" role="alert">
            {error}
          </p>
        )}
        {files && files.uploads.length > 0 && (
          <ul className="uploads" aria-label="Files being sent">
            {files.uploads.map((upload) => (
              <li key={upload.key} className="upload">
                <span className="upload-name">{upload.name}</span>
                <progress aria-label={`Sending ${upload.name}`} max={upload.total} value={upload.sent} />
                <button type="button" className="link-button" aria-label={`Cancel sending ${upload.name}`} disabled={upload.transferId === null} onClick={() => files.cancel(upload.key)}>
                  Cancel
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="composer-row">
          {files && (
            <>
              <input
                ref={fileInputRef}
                type="file"
                multiple
                hidden
                aria-label="File to send"
                onChange={(event) => {
                  shareAll(event.target.files);
                  event.target.value = '';
                }}
              />
              <button type="button" aria-label="Attach a file" title={files.limitWords ?? undefined} onClick={() => fileInputRef.current?.click()}>
                Attach…
              </button>
            </>
          )}
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
            onPaste={(event) => {
              // A screenshot pasted from the clipboard is shared as a file; pasted text stays text.
              if (shareAll(event.clipboardData.files)) event.preventDefault();
            }}
          />
          <button type="submit" className="primary" disabled={draft.trim() === ''}>
            Send
          </button>
        </div>
        <p className="composer-hint" aria-hidden="true">
          Enter sends · Shift+Enter starts a new line · ↑ corrects your last message
        </p>
        {files?.limitWords && <p className="composer-hint upload-limit">{files.limitWords}</p>}
      </form>
    </section>
  );
}
