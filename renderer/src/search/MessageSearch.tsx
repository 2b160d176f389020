import { useEffect, useState, type ReactElement } from 'react';
import type { BurrowApi, SearchResultView, TextRange } from '../../../electron/contract/contract.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { dayLabel, timeOfDay } from '../chat/days.js';
import type { ConversationRef } from '../chat/messagingState.js';

/** Typing pauses this long before the search goes out: one search per pause, not per key. */
const typingPauseMs = 150;
const leastQueryLength = 2;

export interface MessageSearchProps {
  api: BurrowApi;
  query: string;
  /** The name to show for a conversation's peer. */
  nameOf: (ref: ConversationRef) => string;
  onOpen: (ref: ConversationRef, messageId: string) => void;
}

type Outcome = { kind: 'found'; results: SearchResultView[] } | { kind: 'failed'; reason: string };
type Found = Outcome | { kind: 'searching' };

/** Messages across every conversation that match what is typed in the search field; one opens its conversation at it. */
export function MessageSearch({ api, query, nameOf, onOpen }: MessageSearchProps) {
  const [answer, setAnswer] = useState<{ query: string; outcome: Outcome } | null>(null);
  const wanted = query.trim();
  const searching = wanted.length >= leastQueryLength;

  useEffect(() => {
    if (!searching) return;
    let current = true;
    const timer = setTimeout(() => {
      api.invoke('search:messages', { query: wanted }).then(
        ({ results }) => current && setAnswer({ query: wanted, outcome: { kind: 'found', results } }),
        (reason: unknown) => current && setAnswer({ query: wanted, outcome: { kind: 'failed', reason: errorWords(reason) } }),
      );
    }, typingPauseMs);
    // A newer query makes this one's answer stale.
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [api, wanted, searching]);

  if (!searching) return null;
  const found: Found = answer?.query === wanted ? answer.outcome : { kind: 'searching' };
  return (
    <section className="message-search" aria-labelledby="message-search-title" aria-busy={found.kind === 'searching'}>
      <h2 id="message-search-title">Messages</h2>
      {found.kind === 'searching' && <p className="message-search-status">Searching…</p>}
      {found.kind === 'failed' && (
        <p className="message-search-status" role="alert">
          Search failed: {found.reason}
        </p>
      )}
      {found.kind === 'found' && found.results.length === 0 && <p className="message-search-status">No messages match “{wanted}”.</p>}
      {found.kind === 'found' && found.results.length > 0 && (
        <ul aria-label="Messages found">
          {found.results.map(({ communityId, peer, message, matches }) => {
            const name = nameOf({ communityId, peer });
            const who = message.direction === 'out' ? `You to ${name}` : name;
            const when = `${dayLabel(new Date(message.at), new Date())} ${timeOfDay(message.at)}`;
            const shown = snippet(message.body, matches);
            return (
              <li key={`${communityId} ${peer} ${message.id}`}>
                <button
                  type="button"
                  className="message-search-result"
                  aria-label={`${who}, ${when}: ${shown.text}`}
                  onClick={() => onOpen({ communityId, peer }, message.id)}
                >
                  <span className="message-search-who">
                    {who}
                    <time dateTime={message.at}>{when}</time>
                  </span>
                  <Highlighted {...shown} />
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/** How much of a long message a result shows: the part around its first match. */
const snippetLength = 160;
const snippetLead = 60;

interface Snippet {
  /** The part of the body shown, with an ellipsis where it is cut. */
  text: string;
  /** The matches within `text`. */
  matches: TextRange[];
}

/** A long message's part around its first match; ranges are UTF-16 offsets, in order. */
function snippet(body: string, matches: readonly TextRange[]): Snippet {
  const from = body.length <= snippetLength ? 0 : Math.max(0, (matches[0]?.start ?? 0) - snippetLead);
  const to = Math.min(body.length, from + snippetLength);
  const lead = from > 0 ? '…' : '';
  const text = `${lead}${body.slice(from, to)}${to < body.length ? '…' : ''}`;
  const inside = matches.filter(({ start, end }) => start >= from && end <= to && end > start);
  return { text, matches: inside.map(({ start, end }) => ({ start: start - from + lead.length, end: end - from + lead.length })) };
}

/** The text with its matching ranges marked. */
function Highlighted({ text, matches }: Snippet) {
  const parts: ReactElement[] = [];
  let at = 0;
  for (const { start, end } of matches) {
    if (start < at) continue;
    if (start > at) parts.push(<span key={`t${at}`}>{text.slice(at, start)}</span>);
    parts.push(<mark key={`m${start}`}>{text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < text.length) parts.push(<span key={`t${at}`}>{text.slice(at)}</span>);
  return <span className="message-search-text">{parts}</span>;
}
