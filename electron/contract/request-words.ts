/**
 * Requests in words: people the user does not know who wrote, and what Burrow let go of when more
 * came than it keeps. The one place they are made, for the chat window and core's notices.
 */

/** What Burrow lets go of when more comes than it keeps. */
export type LetGoKind = 'contactRequests' | 'messageRequests' | 'strangerMessages' | 'devices';

/** How many of each kind were let go, and how many of each Burrow keeps. */
export interface LetGoCount {
  count: number;
  keeps: number;
}

/** "3 people you don't know wrote to you". */
export function strangersWords(people: number): string {
  return `${counted(people, 'person', 'people')} you don’t know wrote to you`;
}

/** "1 message", "20 messages". */
export function messagesWords(messages: number): string {
  return counted(messages, 'message');
}

const letGoFragments: Record<LetGoKind, (count: number, keeps: number) => string> = {
  contactRequests: (count, keeps) => `${counted(count, 'contact request')} (it keeps the newest ${keeps})`,
  messageRequests: (count, keeps) => `${counted(count, 'message request')} (it keeps the newest ${keeps})`,
  strangerMessages: (count, keeps) => `${counted(count, 'message')} from people you don’t know (a request keeps its first ${keeps})`,
  devices: (count, keeps) => `the presence of ${counted(count, 'device')} (it keeps ${keeps} per contact)`,
};

/**
 * "Lab: more came in than Burrow keeps, so it let go of 900 contact requests (it keeps the newest
 * 100) and …": only the kinds let go of, in a fixed order.
 */
export function letGoWords(community: string, letGo: Partial<Record<LetGoKind, LetGoCount>>): string {
  const parts = (Object.keys(letGoFragments) as LetGoKind[]).flatMap((kind) => {
    const counted = letGo[kind];
    return counted && counted.count > 0 ? [letGoFragments[kind](counted.count, counted.keeps)] : [];
  });
  return `${community}: more came in than Burrow keeps, so it let go of ${listed(parts)}.`;
}

function counted(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}

function listed(parts: string[]): string {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
