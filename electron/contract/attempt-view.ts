import { z } from 'zod';

import { Sha256Fingerprint } from '../common/settings/schema.js';
import { AttemptPath } from './attempt-path.js';

/** Why a server certificate failed verification; one certificate may have several problems. */
export const certificateProblems = ['self-signed', 'unknown-issuer', 'name-mismatch', 'expired', 'not-yet-valid', 'invalid'] as const;
export const CertificateProblem = z.enum(certificateProblems);
export type CertificateProblem = z.infer<typeof CertificateProblem>;

/** A server certificate that failed verification, as shown before anyone trusts it. Dates are ISO 8601. */
export const CertificateView = z.strictObject({
  /** The name it had to carry: the XMPP domain. */
  expectedName: z.string(),
  /** Its distinguished names, e.g. "CN=chat.example.com, O=Example". */
  subject: z.string(),
  issuer: z.string(),
  /** The names it is valid for (subjectAltName, else the common name). */
  names: z.array(z.string()),
  notBefore: z.string(),
  notAfter: z.string(),
  fingerprint256: Sha256Fingerprint,
  problems: z.array(CertificateProblem).min(1),
});
export type CertificateView = z.infer<typeof CertificateView>;

/**
 * Only a certificate nobody vouches for may be trusted by the user: never one for another name,
 * nor one outside its dates, nor one that is broken otherwise.
 */
export function mayBeTrusted({ problems }: Pick<CertificateView, 'problems'>): boolean {
  return problems.every((problem) => problem === 'self-signed' || problem === 'unknown-issuer');
}

/** Why an HTTP proxy's login failed: what it asked for, and what Burrow answered with. */
export const ProxyLogin = z.strictObject({
  /** 407, or 401 from a proxy that asks with WWW-Authenticate. */
  status: z.union([z.literal(401), z.literal(407)]),
  /** The schemes the proxy offered, lower case, in its order: "negotiate", "ntlm", "basic". */
  offered: z.array(z.string()),
  /** The scheme Burrow logged in with; absent when it could answer none of those offered. */
  tried: z.enum(['basic', 'digest', 'ntlm']).optional(),
  /** "withheld": configured, but not sent along a path the plan does not allow (only probed). */
  credentials: z.enum(['configured', 'not-configured', 'withheld']),
});
export type ProxyLogin = z.infer<typeof ProxyLogin>;

/** "chat.example.com:5222": where an attempt connected, or a proxy. */
const HostPort = z.string();
const HttpStatus = z.number().int();

/**
 * Why Burrow chose the transport of a bare `host:port` (DESIGN.md, "A community's address"): direct
 * TLS on 5223, XEP-0368's port, and on 443, the HTTPS port a server may share with it (ALPN
 * xmpp-client); TCP+STARTTLS on any other port, the Sametime rule.
 */
export const PortConvention = z.enum(['direct-tls-port', 'https-port', 'any-other-port']);
export type PortConvention = z.infer<typeof PortConvention>;

/** What Burrow assumed of the `host:port` (`target`) it connected to; told beside a failure that a wrong guess explains. */
const Assumed = z.strictObject({ because: PortConvention, target: HostPort }).optional();

/**
 * Why an attempt failed, as facts; the words are made in attempt-words.ts. `target` is the
 * server's host and port, `proxy` the proxy's.
 */
export const AttemptCause = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('refused'), target: HostPort }),
  /** Silent for `withinMs`; absent: the connection timed out, or with `step`, a step of the XMPP stream did. */
  z.strictObject({
    kind: z.literal('no-answer'),
    target: HostPort,
    withinMs: z.number().optional(),
    step: z.literal(true).optional(),
    nextPathTried: z.boolean(),
    assumed: Assumed,
  }),
  z.strictObject({ kind: z.literal('unreachable'), target: HostPort }),
  z.strictObject({ kind: z.literal('name-not-found'), host: z.string(), temporary: z.boolean() }),
  z.strictObject({ kind: z.literal('reset'), target: HostPort, assumed: Assumed }),
  z.strictObject({ kind: z.literal('proxy-refused'), proxy: HostPort, port: z.string(), status: HttpStatus.optional(), detail: z.string() }),
  z.strictObject({ kind: z.literal('proxy-authentication'), proxy: HostPort, status: HttpStatus.optional(), detail: z.string(), proxyLogin: ProxyLogin.optional() }),
  /** The proxy could not be reached, or failed to reach the server (`target`). */
  z.strictObject({
    kind: z.literal('proxy-failure'),
    proxy: HostPort,
    problem: z.enum(['unreachable', 'protocol']),
    target: HostPort,
    detail: z.string(),
    status: HttpStatus.optional(),
  }),
  /** `certificate` when its details were captured; otherwise only Node's `code`. */
  z.strictObject({ kind: z.literal('certificate'), expectedName: z.string(), certificate: CertificateView.optional(), code: z.string().optional() }),
  z.strictObject({
    kind: z.literal('tls'),
    target: HostPort,
    problem: z.enum(['unrecognized-name', 'not-tls', 'handshake']),
    serverName: z.string(),
    detail: z.string(),
    assumed: Assumed,
  }),
  /** `proxy`: the attempt went through it, and a 5xx is its answer for the server. */
  z.strictObject({ kind: z.literal('http-status'), url: z.string(), status: HttpStatus, statusText: z.string(), proxy: HostPort.optional() }),
  z.strictObject({ kind: z.literal('websocket-refused'), target: HostPort, url: z.string().optional(), status: HttpStatus }),
  z.strictObject({ kind: z.literal('not-xmpp'), url: z.string(), detail: z.string() }),
  /** The server ended the BOSH session (`url`) or the XMPP stream with `condition`. */
  z.strictObject({ kind: z.literal('server-ended'), domain: z.string(), condition: z.string(), url: z.string().optional() }),
  z.strictObject({ kind: z.literal('too-large'), target: HostPort, what: z.enum(['stanza', 'bosh-answer']), limitBytes: z.number().int().positive() }),
  z.strictObject({ kind: z.literal('malformed-xml'), target: HostPort, detail: z.string(), assumed: Assumed }),
  /** Carried XMPP, but only unencrypted, which is not allowed. */
  z.strictObject({ kind: z.literal('unencrypted'), path: AttemptPath }),
  z.strictObject({ kind: z.literal('cancelled'), reason: z.enum(['another-path-won', 'race-ended', 'certificate-failed', 'aborted']), target: HostPort }),
  /** Anything unforeseen: what the error said, or its name when it said nothing. */
  z.strictObject({ kind: z.literal('other'), target: HostPort, message: z.string(), assumed: Assumed }),
]);
export type AttemptCause = z.infer<typeof AttemptCause>;

/** One path of a connection race, as the diagnostics timeline shows it. Times are ms since the race began. */
export const AttemptView = z.strictObject({
  attempt: z.number().int(),
  path: AttemptPath,
  /** Not tried because it is unencrypted; only probed to explain a failure. */
  excluded: z.boolean(),
  outcome: z.enum(['not-started', 'running', 'won', 'failed', 'cancelled', 'skipped', 'reachable']),
  startedAtMs: z.number().optional(),
  reachedAtMs: z.number().optional(),
  negotiatingAtMs: z.number().optional(),
  /** When its TLS was up (after STARTTLS where used); absent for BOSH, whose TLS goes with its first request. */
  securedAtMs: z.number().optional(),
  endedAtMs: z.number().optional(),
  /** Why it failed; a refused certificate is shown in full from here. */
  cause: AttemptCause.optional(),
});
export type AttemptView = z.infer<typeof AttemptView>;
