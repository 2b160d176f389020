/** Burrow stopped a sign-in that would be unsafe to finish: trying again on the same path cannot help. */
export class UnsafeSignInError extends Error {
  override name = 'UnsafeSignInError';
}

/** What Burrow reads whole before it may refuse it: one stanza, or one answer of a BOSH service (which may carry many). */
export type InboundUnit = 'stanza' | 'bosh-answer';

/** The server sent more at once than Burrow accepts: Burrow closed the stream rather than read on. */
export class TooLargeError extends Error {
  override name = 'TooLargeError';
  constructor(
    readonly what: InboundUnit,
    readonly limitBytes: number,
  ) {
    super(`the server sent ${what === 'stanza' ? 'a stanza' : 'a BOSH answer'} over ${limitBytes} bytes, more than Burrow accepts`);
  }
}
