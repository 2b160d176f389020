/**
 * Failures raised by Burrow's own transports, routes and sign-in. Each carries what causes.ts (or,
 * for a sign-in, sign-in-failure.ts) needs to say, in plain words, which machine did what.
 */

import type { CertificateView } from '../../contract/attempt-view.js';
import type { ProxyLogin as ProxyLoginFacts } from '../../contract/account-lifecycle.js';

export type { ProxyLoginFacts };

// Raised by the stream layer, which signs in and limits what it reads; told apart here with the rest.
export { MalformedXmlError, TooLargeError, UnsafeSignInError } from '../stream/errors.js';

/** Nothing came back from `target` within `timeoutMs`. */
export class NoAnswerError extends Error {
  override name = 'NoAnswerError';
  constructor(
    readonly target: string,
    readonly timeoutMs: number,
  ) {
    super(`no answer from ${target} within ${timeoutMs} ms`);
  }
}

/** An HTTP server (a BOSH endpoint, or a proxy forwarding to one) answered with a non-2xx status. */
export class HttpStatusError extends Error {
  override name = 'HttpStatusError';
  constructor(
    readonly url: string,
    readonly status: number,
    readonly statusText = '',
  ) {
    super(`${url} answered HTTP ${status}${statusText ? ` ${statusText}` : ''}`);
  }
}

/** The BOSH connection manager ended the session (XEP-0124 `type='terminate'`), with its condition if any. */
export class BoshTerminatedError extends Error {
  override name = 'BoshTerminatedError';
  constructor(
    readonly url: string,
    readonly condition: string,
  ) {
    super(`${url} ended the BOSH session (${condition})`);
  }
}

/** An answer that is not a BOSH `<body/>` — typically a captive portal or a proxy's error page. */
export class BoshProtocolError extends Error {
  override name = 'BoshProtocolError';
  constructor(
    readonly url: string,
    readonly detail: string,
  ) {
    super(`${url} did not answer as a BOSH connection manager: ${detail}`);
  }
}

export type ProxyFailureKind = 'unreachable' | 'refused-tunnel' | 'authentication' | 'protocol';

export type ProxyLoginScheme = NonNullable<ProxyLoginFacts['tried']>;

/** A proxy turned the request down, or spoke something we did not understand. */
export class ProxyError extends Error {
  override name = 'ProxyError';
  constructor(
    readonly kind: ProxyFailureKind,
    readonly proxy: string,
    readonly target: string,
    readonly detail: string,
    readonly status?: number,
    readonly login?: ProxyLoginFacts,
  ) {
    super(`proxy ${proxy} failed to reach ${target}: ${detail}`);
  }
}

/** The server's certificate failed verification: its facts, for the cause and for an offer to trust it. */
export class CertificateError extends Error {
  override name = 'CertificateError';
  constructor(readonly certificate: CertificateView) {
    super(`the certificate of ${certificate.expectedName} failed verification (${certificate.problems.join(', ')})`);
  }
}
