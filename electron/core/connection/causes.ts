/**
 * Why an attempt failed, as facts (AttemptCause): which machine did what. The words for them are
 * made in contract/attempt-words.ts.
 */
import type { PeerCertificate } from 'node:tls';

import type { AttemptCause, CertificateView, PortConvention } from '../../contract/attempt-view.js';
import { formatHostPort } from '../../contract/attempt-words.js';
import { errorWords } from '../../contract/error-words.js';
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

export type Cause = AttemptCause;
export type CauseKind = Cause['kind'];

export interface FailureContext {
  /** The host the attempt connected to: "chat.lab.test". */
  host: string;
  port: number;
  /** The name the certificate must carry, i.e. the XMPP domain; `host` when not given. */
  serverName?: string;
  /** "proxy.lab.test:3128" when the attempt went through a proxy. */
  proxy?: string;
  /** The endpoint's URL, for a WebSocket or BOSH path. */
  url?: string;
  /** The certificate the server presented, when the transport captured it. */
  peerCertificate?: PeerCertificate;
  /** The race started the next path while this one was still silent. */
  nextPathTried?: boolean;
  /** The attempt reached a bare host:port whose transport Burrow chose by this convention. */
  assumed?: PortConvention;
}

export function describeFailure(error: unknown, context: FailureContext): Cause {
  const cause = describeError(error, context);
  if (!context.assumed || !assumptionMayExplain(cause)) return cause;
  return { ...cause, assumed: { because: context.assumed, target: formatHostPort(context.host, context.port) } };
}

/** The failures of a server that answered, but not as the transport Burrow chose expects. */
function assumptionMayExplain(cause: Cause): cause is Extract<Cause, { kind: 'reset' | 'no-answer' | 'tls' | 'malformed-xml' | 'other' }> {
  return ['reset', 'no-answer', 'tls', 'malformed-xml', 'other'].includes(cause.kind);
}

function describeError(error: unknown, context: FailureContext): Cause {
  const target = formatHostPort(context.host, context.port);

  if (error instanceof CertificateError) return describeCertificate(error.certificate);
  if (error instanceof ProxyError) return describeProxyError(error);
  if (error instanceof NoAnswerError) {
    return { kind: 'no-answer', target: error.target, withinMs: error.timeoutMs, nextPathTried: context.nextPathTried === true };
  }
  if (error instanceof HttpStatusError) {
    const { url, status, statusText } = error;
    return { kind: 'http-status', url, status, statusText, ...(context.proxy ? { proxy: context.proxy } : {}) };
  }
  if (error instanceof BoshTerminatedError) return { kind: 'server-ended', domain: context.host, condition: error.condition, url: error.url };
  if (error instanceof TooLargeError) return { kind: 'too-large', target, what: error.what, limitBytes: error.limitBytes };
  if (error instanceof MalformedXmlError) return { kind: 'malformed-xml', target, detail: error.detail };
  if (error instanceof BoshProtocolError) return { kind: 'not-xmpp', url: error.url, detail: error.detail };

  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && isCertificateCode(code)) return describeCertificateCode(error, code, context);

  const upgradeStatus = /Unexpected server response: (\d{3})/.exec(message)?.[1];
  if (upgradeStatus) return { kind: 'websocket-refused', target, status: Number(upgradeStatus), ...(context.url ? { url: context.url } : {}) };

  switch (code) {
    case 'ECONNREFUSED':
      return { kind: 'refused', target };
    case 'ETIMEDOUT':
      return { kind: 'no-answer', target, nextPathTried: false };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { kind: 'unreachable', target };
    case 'ENOTFOUND':
      return { kind: 'name-not-found', host: context.host, temporary: false };
    case 'EAI_AGAIN':
      return { kind: 'name-not-found', host: context.host, temporary: true };
    case 'ECONNRESET':
    case 'EPIPE':
      return { kind: 'reset', target };
    case 'ABORT_ERR':
      return { kind: 'cancelled', reason: 'aborted', target };
  }
  const serverName = context.serverName ?? context.host;
  if (code === 'ERR_SSL_TLSV1_UNRECOGNIZED_NAME') return { kind: 'tls', target, problem: 'unrecognized-name', serverName, detail: message };
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    return { kind: 'tls', target, problem: 'not-tls', serverName, detail: message };
  }
  if (code === 'EPROTO' || code?.startsWith('ERR_SSL_')) {
    return { kind: 'tls', target, problem: 'handshake', serverName, detail: sslReason(error) ?? message };
  }
  if (error instanceof Error && error.name === 'StreamError' && 'condition' in error) {
    return { kind: 'server-ended', domain: context.host, condition: String(error.condition) };
  }
  // A step of the stream timed out: xmpp.js's (the stream opening, say, saying nothing) or Burrow's own wait.
  if (error instanceof Error && error.name === 'TimeoutError') return { kind: 'no-answer', target, step: true, nextPathTried: false };
  return { kind: 'other', target, message: errorWords(error) };
}

function describeProxyError({ kind, proxy, target, detail, status, login }: ProxyError): Cause {
  const withStatus = status === undefined ? {} : { status };
  switch (kind) {
    case 'authentication':
      return { kind: 'proxy-authentication', proxy, detail, ...withStatus, ...(login ? { proxyLogin: login } : {}) };
    case 'refused-tunnel':
      return { kind: 'proxy-refused', proxy, port: target.slice(target.lastIndexOf(':') + 1), detail, ...withStatus };
    case 'unreachable':
    case 'protocol':
      return { kind: 'proxy-failure', proxy, problem: kind, target, detail, ...withStatus };
  }
}

/** A certificate failure from outside verifiedTls (an HTTPS proxy's, say), with the facts Node gave. */
function describeCertificateCode(error: unknown, code: string, context: FailureContext): Cause {
  const expectedName = context.serverName ?? context.host;
  const peer = context.peerCertificate ?? (error as { cert?: PeerCertificate }).cert;
  if (!peer || Object.keys(peer).length === 0) return { kind: 'certificate', expectedName, code };
  return describeCertificate(certificateView(peer, expectedName, certificateProblemsOf(peer, expectedName, code)));
}

function describeCertificate(certificate: CertificateView): Cause {
  return { kind: 'certificate', expectedName: certificate.expectedName, certificate };
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
