/** Burrow stopped a sign-in that would be unsafe to finish: trying again on the same path cannot help. */
export class UnsafeSignInError extends Error {
  override name = 'UnsafeSignInError';
}

/**
 * The server did not answer in time, for all Burrow waited. Named as xmpp.js names its own step
 * timeouts (which say nothing), so that one check tells a silent server from every other failure.
 */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
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

/**
 * The server sent XML that is not well-formed (RFC 6120 §4.9.3.13), or bytes that are not UTF-8
 * (§4.9.3.22, `unsupported-encoding`): Burrow closed the stream rather than guess at the rest.
 */
export class MalformedXmlError extends Error {
  override name = 'MalformedXmlError';
  constructor(
    /** What is wrong with it, in a few words: "an end tag </a> closes no element". */
    readonly detail: string,
    /** The stream error Burrow closes the stream with. */
    readonly condition: 'not-well-formed' | 'unsupported-encoding' = 'not-well-formed',
  ) {
    super(`the server sent XML that is not well-formed (${detail})`);
  }
}

/** What the server sent that made Burrow close the stream. */
export type Refusal = TooLargeError | MalformedXmlError;

export function isRefusal(error: unknown): error is Refusal {
  return error instanceof TooLargeError || error instanceof MalformedXmlError;
}

/**
 * A stanza was to go out on a connection that has already gone. What must reach the server is
 * still in the outbox (a message) or was the answer to something on that connection alone.
 */
export class ConnectionGoneError extends Error {
  override name = 'ConnectionGoneError';
  constructor() {
    super('the connection is gone');
  }
}
