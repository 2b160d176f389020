/**
 * What a race came to, as facts: the class of failure that stood in the way, which the words
 * (diagnosis-words.ts) turn into a verdict and advice. Core classifies the attempts
 * (electron/core/connection/diagnosis.ts); nothing parses the words back.
 */
import { z } from 'zod';

import { AttemptPath } from './attempt-path.js';
import { AttemptCause, CertificateView, ProxyLogin } from './attempt-view.js';

/** "proxy.example.com:3128" */
const HostPort = z.string();

/** The class of failure, with the facts its advice needs. */
export const Obstacle = z.discriminatedUnion('kind', [
  /** Nothing answered on these ports (`silent`: some were dropped rather than refused), by the route the paths took. */
  z.strictObject({
    kind: z.literal('ports-blocked'),
    host: z.string(),
    ports: z.array(z.number().int()),
    silent: z.boolean(),
    route: z.enum(['direct', 'system', 'proxy']),
  }),
  /** The proxy refused to connect to the server on these ports. */
  z.strictObject({ kind: z.literal('proxy-refusing'), proxy: HostPort, host: z.string(), ports: z.array(z.string()) }),
  /** The proxy asked for a login, and refused the one given, or none was given. */
  z.strictObject({ kind: z.literal('proxy-login'), proxy: HostPort, proxyLogin: ProxyLogin.optional() }),
  z.strictObject({ kind: z.literal('proxy-unreachable'), proxy: HostPort }),
  z.strictObject({ kind: z.literal('certificate'), expectedName: z.string(), certificate: CertificateView.optional() }),
  z.strictObject({ kind: z.literal('name-not-found'), host: z.string(), temporary: z.boolean() }),
  /** Only paths without encryption reached the server, and they are not allowed. */
  z.strictObject({ kind: z.literal('unencrypted-only'), host: z.string(), paths: z.array(AttemptPath) }),
  /** Something answered, but did not carry XMPP as it should: the server, or what stands in front of it; `cause` is the first such failure. */
  z.strictObject({ kind: z.literal('server'), host: z.string(), cause: AttemptCause }),
  /** The settings allow no path at all. */
  z.strictObject({ kind: z.literal('no-allowed-path'), host: z.string() }),
  /** Failures of no single class; `detail` when the race itself could not run. */
  z.strictObject({ kind: z.literal('unclear'), host: z.string(), detail: z.string().optional() }),
]);
export type Obstacle = z.infer<typeof Obstacle>;

export const Diagnosis = z.strictObject({
  /** The server's host, as the paths were aimed at it. */
  host: z.string(),
  /** Paths the plan allowed and the race started. */
  tried: z.number().int(),
  elapsedMs: z.number(),
  /** Why nothing connected; after a connection, what stood in the way of the paths before the winner (absent when none failed). */
  obstacle: Obstacle.optional(),
});
export type Diagnosis = z.infer<typeof Diagnosis>;

/**
 * A field of Preferences that advice points to, as the connection settings of a community (its own
 * or the global ones it uses) or its Server tab.
 */
export const preferencesFields = ['hostServer', 'username', 'method', 'proxy.host', 'proxy.username', 'allowUnencrypted', 'trustedCaPem'] as const;
export const PreferencesField = z.enum(preferencesFields);
export type PreferencesField = z.infer<typeof PreferencesField>;

/** The settings a race ran with, as a help desk needs them: no passwords, no proxy user name. */
export const ConnectionFacts = z.strictObject({
  /** The community's address: host, host:port or URL. */
  address: z.string(),
  domain: z.string().optional(),
  method: z.enum(['automatic', 'direct-tcp', 'direct-http', 'system-proxy', 'proxy']),
  proxy: z.strictObject({ type: z.enum(['http', 'https', 'socks4', 'socks5']), host: z.string(), port: z.number().int(), login: z.boolean() }).optional(),
  /** Where "Use my system proxy settings" looks: the OS, a PAC file, or the environment's *_PROXY variables. */
  systemProxy: z.enum(['os', 'pac', 'environment']).optional(),
  allowUnencrypted: z.boolean(),
  /** Additional trusted CAs and trusted certificate fingerprints in effect. */
  extraCas: z.number().int(),
  trustedCertificates: z.number().int(),
});
export type ConnectionFacts = z.infer<typeof ConnectionFacts>;
