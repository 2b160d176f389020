/** Clauses made into sentences, for the words modules. */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** "the proxy refused" → "The proxy refused." */
export function sentence(text: string): string {
  return /[.!?…]$/.test(text) ? capitalised(text) : `${capitalised(text)}.`;
}
