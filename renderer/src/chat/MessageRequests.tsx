import { useEffect, useState } from 'react';
import type { AccountView, BurrowApi, MessageRequestView, MessageRequestsView, MessageView } from '../../../electron/contract/contract.js';
import { messagesWords, strangersWords } from '../../../electron/contract/request-words.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { perCommunity, type ConversationRef } from './messagingState.js';

export interface MessageRequestsProps {
  api: BurrowApi;
  accounts: readonly AccountView[];
  messageRequests: Readonly<Record<string, MessageRequestsView>>;
  onAnswer: (ref: ConversationRef, accept: boolean) => void;
}

/**
 * Messages from people the user does not know, in one place: "3 people you don't know wrote to
 * you". Each request can be read, accepted (it becomes a conversation) or dismissed.
 */
export function MessageRequests({ api, accounts, messageRequests, onAnswer }: MessageRequestsProps) {
  const [expanded, setExpanded] = useState(false);
  const requests = perCommunity(accounts, (communityId) => messageRequests[communityId]?.requests ?? []);
  if (requests.length === 0) return null;
  return (
    <section className="message-requests" aria-labelledby="message-requests-title">
      <h2 id="message-requests-title">Message requests</h2>
      <button type="button" className="link-button" aria-expanded={expanded} aria-controls="message-requests-list" onClick={() => setExpanded(!expanded)}>
        {strangersWords(requests.length)}
      </button>
      {expanded && (
        <ul id="message-requests-list" aria-label="Message requests">
          {requests.map(({ communityId, item: request, community }) => (
            <MessageRequest
              key={`${communityId} ${request.peer}`}
              api={api}
              communityId={communityId}
              request={request}
              community={community}
              onAnswer={(accept) => onAnswer({ communityId, peer: request.peer }, accept)}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function MessageRequest({
  api,
  communityId,
  request: { peer, messages, last },
  community,
  onAnswer,
}: {
  api: BurrowApi;
  communityId: string;
  request: MessageRequestView;
  community: string | null;
  onAnswer: (accept: boolean) => void;
}) {
  const [reading, setReading] = useState(false);
  return (
    <li className="contact-request message-request">
      <span>
        <strong>{peer}</strong>
        {community && ` on ${community}`} · {messagesWords(messages)}
        {last && !reading && <span className="message-request-last">{last.body}</span>}
      </span>
      {reading && <RequestMessages api={api} communityId={communityId} peer={peer} count={messages} />}
      <span className="contact-request-buttons">
        <button type="button" aria-expanded={reading} aria-label={`Read messages from ${peer}`} onClick={() => setReading(!reading)}>
          Read
        </button>
        <button type="button" className="primary" aria-label={`Accept messages from ${peer}`} onClick={() => onAnswer(true)}>
          Accept
        </button>
        <button type="button" aria-label={`Dismiss messages from ${peer}`} onClick={() => onAnswer(false)}>
          Dismiss
        </button>
      </span>
    </li>
  );
}

/** A request's messages, as plain text (a stranger's links are not made clickable), loaded again as more arrive. */
function RequestMessages({ api, communityId, peer, count }: { api: BurrowApi; communityId: string; peer: string; count: number }) {
  const [messages, setMessages] = useState<MessageView[] | string | null>(null);
  useEffect(() => {
    let current = true;
    api.invoke('chat:history', { communityId, peer }).then(
      // A request keeps its sender's first few messages: one page holds them all.
      ({ messages: loaded }) => current && setMessages(loaded),
      (reason: unknown) => current && setMessages(`The messages could not be loaded: ${errorWords(reason)}`),
    );
    return () => {
      current = false;
    };
  }, [api, communityId, peer, count]);
  if (typeof messages === 'string') return <p role="alert">{messages}</p>;
  if (messages === null) return <p>Loading messages…</p>;
  return (
    <ol className="message-request-messages" aria-label={`Messages from ${peer}`}>
      {messages.map(({ id, body }) => (
        <li key={id}>{body}</li>
      ))}
    </ol>
  );
}
