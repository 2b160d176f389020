/**
 * Finds the web and mail links in a message. Everything else stays text: a message can never
 * become markup, and only http:, https: and mailto: links are ever made clickable.
 */

export type Segment = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const candidatePattern = /\b(?:https?:\/\/|mailto:)[^\s<>"]+/gi;
const trailingPunctuation = /[.,;:!?'"*_]$/;
const allowedProtocols = new Set(['http:', 'https:', 'mailto:']);

/** Drops what usually ends a sentence rather than a link: "see https://x.test/a)." → "https://x.test/a". */
function trimTrailing(candidate: string): string {
  let link = candidate;
  for (;;) {
    if (trailingPunctuation.test(link)) {
      link = link.slice(0, -1);
      continue;
    }
    const last = link.at(-1);
    const opener = last === ')' ? '(' : last === ']' ? '[' : null;
    if (opener !== null && count(link, opener) < count(link, last!)) {
      link = link.slice(0, -1);
      continue;
    }
    return link;
  }
}

function count(text: string, char: string): number {
  return text.split(char).length - 1;
}

/** The link's safe address, or null when it is not a web or mail link. */
export function safeHref(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (!allowedProtocols.has(url.protocol)) return null;
  if (url.protocol !== 'mailto:' && url.hostname === '') return null;
  if (url.protocol === 'mailto:' && url.pathname === '' && url.search === '') return null;
  return url.href;
}

export function linkify(text: string): Segment[] {
  const segments: Segment[] = [];
  let textStart = 0;
  for (const match of text.matchAll(candidatePattern)) {
    const linkText = trimTrailing(match[0]);
    const href = safeHref(linkText);
    if (href === null) continue;
    if (match.index > textStart) segments.push({ kind: 'text', text: text.slice(textStart, match.index) });
    segments.push({ kind: 'link', text: linkText, href });
    textStart = match.index + linkText.length;
  }
  if (textStart < text.length) segments.push({ kind: 'text', text: text.slice(textStart) });
  return segments;
}
