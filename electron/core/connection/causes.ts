/**
 * Why an attempt failed, in words a help desk can act on: which machine did what, and where
 * it matters, what to do about it.
 */
import type { PeerCertificate } from 'node:tls';

import { proxyLoginWords, tooLargeWords } from '../../contract/account-words.js';
import { formatHostPort } from './address.js';
import type { CertificateView } from '../../contract/attempt-view.js';
import { certificateFailureWords } from '../../contract/certificate-words.js';
import { certificateProblemsOf, certificateView, isCertificateCode } from './certificate-check.js';
import {
  BoshProtocolError,
  BoshTerminatedError,
  CertificateError,
  HttpStatusError,
  MalformedXmlError,
  NoAnswerError,
  ProxyError,
  TooLargeError,
} from './errors.js';
import type { ProxyLoginFacts } from './errors.js';

export type CauseKind =
  | 'refused'
  | 'no-answer'
  | 'unreachable'
  | 'name-not-found'
  | 'reset'
  | 'proxy-refused'
  | 'proxy-authentication'
  | 'proxy-failure'
  | 'certificate'
  | 'tls'
  | 'http-status'
  | 'websocket-refused'
  | 'not-xmpp'
  | 'server-ended'
  | 'too-large'
  | 'malformed-xml'
  | 'cancelled'
  | 'other';

export interface Cause {
  kind: CauseKind;
  text: string;
  /** Present for certificate failures, which are shown in full and never worked around by a weaker path. */
  certificate?: CertificateView;
  /** Present when an HTTP proxy's login failed: what it offered, what Burrow tried. */
  proxyLogin?: ProxyLoginFacts;
}

export interface FailureContext {
  /** The host the attempt connected to: "chat.lab.test". */
  host: string;
  port: number;
  /** The name the certificate must carry, i.e. the XMPP domain; `host` when not given. */
  serverName?: string;
  /** "proxy.lab.test:3128" when the attempt went through a proxy. */
  proxy?: string;
  /** The certificate the server presented, when the transport captured it. */
  peerCertificate?: PeerCertificate;
  /** The race started the next path while this one was still silent. */
  nextPathTried?: boolean;
}

export function describeFailure(error: unknown, context: FailureContext): Cause {
  const target = formatHostPort(context.host, context.port);

  if (error instanceof CertificateError) return describeCertificate(error.certificate);
  if (error instanceof ProxyError) return describeProxyError(error);
  if (error instanceof NoAnswerError) {
    const suffix = context.nextPathTried ? '; tried the next path' : '';
    return { kind: 'no-answer', text: `no answer from ${error.target} within ${error.timeoutMs} ms${suffix}` };
  }
  if (error instanceof HttpStatusError) return describeHttpStatus(error, context);
  if (error instanceof BoshTerminatedError) return describeBoshTermination(error, context.host);
  if (error instanceof TooLargeError) {
    return { kind: 'too-large', text: `${target} sent ${tooLargeWords(error)}, more than Burrow accepts; Burrow closed the stream` };
  }
  if (error instanceof MalformedXmlError) {
    return { kind: 'malformed-xml', text: `${target} sent XML that is not well-formed (${error.detail}); Burrow closed the stream` };
  }
  if (error instanceof BoshProtocolError) {
    return {
      kind: 'not-xmpp',
      text: `${error.url} answered, but not as a BOSH service (a captive portal or a proxy's page?): ${error.detail}`,
    };
  }

  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && isCertificateCode(code)) return describeCertificateCode(error, code, context);

  const upgradeStatus = /Unexpected server response: (\d{3})/.exec(message)?.[1];
  if (upgradeStatus) {
    return {
      kind: 'websocket-refused',
      text: `${target} refused the WebSocket upgrade (HTTP ${upgradeStatus}); a transparent proxy may be in the way`,
    };
  }

  switch (code) {
    case 'ECONNREFUSED':
      return { kind: 'refused', text: `connection to ${target} was refused` };
    case 'ETIMEDOUT':
      return { kind: 'no-answer', text: `no answer from ${target} (the connection timed out)` };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { kind: 'unreachable', text: `${target} cannot be reached from this network (no route)` };
    case 'ENOTFOUND':
      return { kind: 'name-not-found', text: `the name ${context.host} was not found in DNS` };
    case 'EAI_AGAIN':
      return { kind: 'name-not-found', text: `looking up ${context.host} in DNS failed for now (no DNS server answered)` };
    case 'ECONNRESET':
    case 'EPIPE':
      return {
        kind: 'reset',
        text: `the connection to ${target} was cut (reset) before XMPP started; a firewall or proxy may be interfering`,
      };
    case 'ABORT_ERR':
      return { kind: 'cancelled', text: `the attempt on ${target} was cancelled` };
  }
  if (code === 'ERR_SSL_TLSV1_UNRECOGNIZED_NAME') {
    return { kind: 'tls', text: `${target} does not serve the name ${context.serverName ?? context.host} over TLS (unrecognized name)` };
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    return { kind: 'tls', text: `${target} did not answer with TLS; something other than a TLS server is there` };
  }
  if (code === 'EPROTO' || code?.startsWith('ERR_SSL_')) {
    return { kind: 'tls', text: `the TLS handshake with ${target} failed (${sslReason(error) ?? message})` };
  }
  if (error instanceof Error && error.name === 'StreamError' && 'condition' in error) {
    return describeStreamError(String(error.condition), context.host);
  }
  return { kind: 'other', text: `${target} failed: ${message}` };
}

function describeProxyError(error: ProxyError): Cause {
  const status = error.status === undefined ? '' : ` (${error.status})`;
  switch (error.kind) {
    case 'authentication':
      if (error.login) return { kind: 'proxy-authentication', text: proxyLoginWords(error.proxy, error.login), proxyLogin: error.login };
      return {
        kind: 'proxy-authentication',
        text: `proxy authentication failed at ${error.proxy} (${error.status ?? error.detail}); check the proxy user name and password`,
      };
    case 'refused-tunnel': {
      const port = error.target.slice(error.target.lastIndexOf(':') + 1);
      const why = error.status === undefined ? ` (${error.detail})` : status;
      return { kind: 'proxy-refused', text: `${error.proxy} refused CONNECT to port ${port}${why}` };
    }
    case 'unreachable':
      return { kind: 'proxy-failure', text: `the proxy ${error.proxy} could not be reached (${error.detail})` };
    case 'protocol':
      return { kind: 'proxy-failure', text: `${error.proxy} failed to connect to ${error.target}: ${error.detail}${status}` };
  }
}

function describeHttpStatus(error: HttpStatusError, context: FailureContext): Cause {
  const reason = error.statusText ? ` ${error.statusText}` : '';
  const hint =
    error.status === 404
      ? '; no BOSH service at that address'
      : error.status >= 500 && context.proxy
        ? `; the proxy ${context.proxy} could not reach the server`
        : '';
  return { kind: 'http-status', text: `${error.url} answered HTTP ${error.status}${reason}${hint}` };
}

function describeBoshTermination(error: BoshTerminatedError, host: string): Cause {
  const known: Record<string, string> = {
    'host-unknown': `the server does not serve the domain ${host} (host-unknown)`,
    'item-not-found': 'the BOSH session expired at the server (item-not-found)',
    'remote-connection-failed': 'the BOSH service could not reach the XMPP server behind it (remote-connection-failed)',
    'system-shutdown': 'the server is shutting down (system-shutdown)',
    'policy-violation': 'the BOSH service refused the session by policy (policy-violation)',
  };
  return { kind: 'server-ended', text: known[error.condition] ?? `${error.url} ended the BOSH session (${error.condition})` };
}

function describeStreamError(condition: string, host: string): Cause {
  const text =
    condition === 'host-unknown'
      ? `the server does not serve the domain ${host} (host-unknown)`
      : `the server closed the XMPP stream (${condition})`;
  return { kind: 'server-ended', text };
}

/** A certificate failure from outside verifiedTls (an HTTPS proxy's, say), with the facts Node gave. */
function describeCertificateCode(error: unknown, code: string, context: FailureContext): Cause {
  const expectedName = context.serverName ?? context.host;
  const peer = context.peerCertificate ?? (error as { cert?: PeerCertificate }).cert;
  if (!peer || Object.keys(peer).length === 0) return { kind: 'certificate', text: `the certificate of ${expectedName} failed verification (${code})` };
  return describeCertificate(certificateView(peer, expectedName, certificateProblemsOf(peer, expectedName, code)));
}

function describeCertificate(certificate: CertificateView): Cause {
  return { kind: 'certificate', text: certificateFailureWords(certificate), certificate };
}

/** OpenSSL's short reason, e.g. "sslv3 alert handshake failure", which Node puts on `reason`. */
function sslReason(error: unknown): string | undefined {
  const reason = (error as { reason?: unknown } | null | undefined)?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
