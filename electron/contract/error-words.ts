/** An error in words, for every "… failed: " Burrow prints or shows; never empty. */

/** What the error said, or its name when it said nothing (xmpp.js's TimeoutError says nothing). */
export function errorWords(error: unknown): string {
  if (error instanceof Error) return error.message || `${error.name}, with no message`;
  return String(error) || 'an error with no message';
}
