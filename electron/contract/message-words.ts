/**
 * A message's own story in words: what became of the user's correction of it. The one place they
 * are made, for the chat window.
 */
import type { MessageView } from './messaging.js';

const editRefusals: Record<string, string> = {
  'service-unavailable': 'their server would not take it',
  'recipient-unavailable': 'they could not be reached',
  'item-not-found': 'their address was not found',
  'remote-server-not-found': 'their server could not be reached',
  'remote-server-timeout': 'their server did not answer',
  forbidden: 'their server refused it',
  'not-allowed': 'their server refused it',
  'not-acceptable': 'their server refused it',
  'policy-violation': 'their server refused it',
  'resource-constraint': 'their server was too busy',
};

/** The short mark next to the message: "edit not delivered". */
export const EDIT_NOT_DELIVERED = 'edit not delivered';

/** Why, for the mark's hint: "Your edit did not reach them (their server would not take it): they still see the earlier text." */
export function editFailedWords({ condition }: NonNullable<MessageView['editFailed']>): string {
  const why = editRefusals[condition] ?? `refused: ${condition}`;
  return `Your edit did not reach them (${why}): they still see the earlier text. Edit it again to send it anew.`;
}
