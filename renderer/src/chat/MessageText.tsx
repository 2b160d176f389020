import { linkify } from './linkify.js';

/**
 * A message body: rendered as text (React escapes it), with web and mail links made clickable.
 * A click never navigates inside Burrow: it asks for the link to be opened outside.
 */
export function MessageText({ text, onOpenLink }: { text: string; onOpenLink: (url: string) => void }) {
  return (
    <>
      {linkify(text).map((segment, index) =>
        segment.kind === 'text' ? (
          segment.text
        ) : (
          <a
            key={index}
            href={segment.href}
            target="_blank"
            rel="noopener noreferrer"
            onClick={(event) => {
              event.preventDefault();
              onOpenLink(segment.href);
            }}
          >
            {segment.text}
          </a>
        ),
      )}
    </>
  );
}
