/**
 * One request's login at an HTTP proxy (a CONNECT, or a plain request through it): the scheme is
 * chosen from what the proxy offers, never guessed, and the credentials are tried once. NTLM over
 * Digest over Basic; Negotiate (Kerberos) needs the platform's own stack, which plain Node lacks.
 */
import type { ProxyLoginFacts, ProxyLoginScheme } from '../../errors.js';
import { basicAuthorization } from './basic.js';
import { parseChallenges } from './challenge.js';
import type { Challenge } from './challenge.js';
import { digestAuthorization, digestChallenge } from './digest.js';
import type { DigestChallenge } from './digest.js';
import { authenticateMessage, negotiateMessage, parseChallengeMessage } from './ntlm.js';

export interface AuthorizationHeader {
  /** Authorization answers a proxy's 401, Proxy-Authorization its 407. */
  name: 'Proxy-Authorization' | 'Authorization';
  value: string;
}

/** What a race has learnt of a proxy's login, so the next request answers at once. */
export type KnownLogin = { header: AuthorizationHeader['name'] } & (
  | { scheme: 'basic' }
  | { scheme: 'ntlm' }
  /** The nonce is answered again with a growing count, as RFC 7616 allows. */
  | { scheme: 'digest'; challenge: DigestChallenge; uses: number }
);

/** Shared by a race's requests through one proxy as one user. */
export interface LoginMemory {
  known?: KnownLogin;
  /** The proxy has asked for a login: a request that must not send one need not ask it again. */
  asked?: Pick<ProxyLoginFacts, 'status' | 'offered'>;
}

export type ProxyCredentials = { username: string; password: string } | 'not-configured' | 'withheld';

export type LoginStep =
  /** Send the request again with `answer`; on the same connection when the scheme is connection-bound (NTLM's last leg). */
  | { answer: AuthorizationHeader; sameConnection: boolean }
  | { refused: ProxyLoginFacts };

/** A 407's challenges, or a 401's when it says how to log in; undefined for any other refusal. */
export function loginChallenges({ status, headers }: { status: number; headers: Map<string, string[]> }): Challenge[] | undefined {
  if (status === 407) return parseChallenges(headers.get('proxy-authenticate') ?? []);
  const asked = headers.get('www-authenticate');
  return status === 401 && asked ? parseChallenges(asked) : undefined;
}

/** The credentials a request may use: none configured, kept back from a probe, or these. */
export function credentialsOf(proxy: { username?: string; password?: string; withholdCredentials?: boolean }): ProxyCredentials {
  if (proxy.username === undefined) return 'not-configured';
  return proxy.withholdCredentials ? 'withheld' : { username: proxy.username, password: proxy.password ?? '' };
}

const digestStrength = ['sha-512-256', 'sha-256', 'md5'];

export class ProxyLogin {
  readonly #credentials: ProxyCredentials;
  readonly #memory: LoginMemory;
  readonly #request: { method: string; uri: string };
  /** What the last request carried: nothing, a remembered answer, NTLM's first leg, or a full answer. */
  #sent: 'nothing' | 'remembered' | 'ntlm-negotiate' | 'answer' = 'nothing';
  #scheme: ProxyLoginScheme | undefined;
  #header: AuthorizationHeader['name'] = 'Proxy-Authorization';
  #digest: { challenge: DigestChallenge; uses: number } | undefined;
  #staleAnswered = false;

  constructor(credentials: ProxyCredentials, memory: LoginMemory, request: { method: string; uri: string }) {
    this.#credentials = credentials;
    this.#memory = memory;
    this.#request = request;
  }

  /** Refused before anything is sent: the credentials are withheld, and the proxy is known to want them. */
  refusedBeforehand(): ProxyLoginFacts | undefined {
    const { asked } = this.#memory;
    return this.#credentials === 'withheld' && asked ? { ...asked, credentials: 'withheld' } : undefined;
  }

  /** The header for the first request: only when this proxy's scheme is already known. */
  first(): AuthorizationHeader | undefined {
    const { known } = this.#memory;
    if (!known || typeof this.#credentials === 'string') return undefined;
    this.#scheme = known.scheme;
    this.#header = known.header;
    if (known.scheme === 'ntlm') return this.#ntlmNegotiate();
    this.#sent = 'remembered';
    if (known.scheme === 'basic') return this.#basic();
    known.uses += 1;
    return this.#answerDigest(known.challenge, known.uses);
  }

  /** The proxy answered 407 (or 401 with WWW-Authenticate) with these challenges. */
  next(status: 401 | 407, challenges: readonly Challenge[]): LoginStep {
    this.#header = status === 401 ? 'Authorization' : 'Proxy-Authorization';
    const offered = [...new Set(challenges.map((challenge) => challenge.scheme))];
    this.#memory.asked = { status, offered };
    const refused = (tried = this.#scheme): LoginStep => ({
      refused: {
        status,
        offered,
        ...(tried ? { tried } : {}),
        credentials: typeof this.#credentials === 'string' ? this.#credentials : 'configured',
      },
    });
    if (typeof this.#credentials === 'string') return refused(undefined);
    if (this.#sent === 'ntlm-negotiate') {
      const blob = challenges.find((challenge) => challenge.scheme === 'ntlm' && challenge.token68)?.token68;
      const challenge = blob === undefined ? undefined : parseChallengeMessage(Buffer.from(blob, 'base64'));
      if (!challenge) return refused();
      this.#sent = 'answer';
      const { username, password } = this.#credentials;
      return { answer: this.#authorization(`NTLM ${authenticateMessage(challenge, username, password).toString('base64')}`), sameConnection: true };
    }
    const digest = this.#digestOffered(challenges);
    if (this.#scheme === 'digest' && digest?.stale && !this.#staleAnswered) {
      this.#staleAnswered = true;
      return this.#startDigest(digest);
    }
    // A remembered Digest nonce may have expired without the proxy saying so: answer the fresh one, once.
    if (this.#sent === 'answer' || (this.#sent === 'remembered' && this.#scheme !== 'digest')) return refused();
    if (offered.includes('ntlm')) return { answer: this.#ntlmNegotiate('ntlm'), sameConnection: false };
    if (digest) return this.#startDigest(digest);
    if (offered.includes('basic')) {
      this.#scheme = 'basic';
      this.#sent = 'answer';
      return { answer: this.#basic(), sameConnection: false };
    }
    return refused(undefined);
  }

  /** The proxy let the request through: the next request answers at once. */
  accepted(): void {
    // A remembered answer's memory is already up to date (and its Digest count may have grown since).
    if (!this.#scheme || this.#sent === 'nothing' || this.#sent === 'remembered') return;
    const header = this.#header;
    if (this.#scheme === 'digest' && this.#digest) this.#memory.known = { scheme: 'digest', header, ...this.#digest };
    else if (this.#scheme !== 'digest') this.#memory.known = { scheme: this.#scheme, header };
  }

  #ntlmNegotiate(scheme?: 'ntlm'): AuthorizationHeader {
    if (scheme) this.#scheme = scheme;
    this.#sent = 'ntlm-negotiate';
    return this.#authorization(`NTLM ${negotiateMessage().toString('base64')}`);
  }

  #startDigest(challenge: DigestChallenge): LoginStep {
    this.#scheme = 'digest';
    this.#sent = 'answer';
    return { answer: this.#answerDigest(challenge, 1), sameConnection: false };
  }

  #answerDigest(challenge: DigestChallenge, uses: number): AuthorizationHeader {
    const { username, password } = this.#credentials as { username: string; password: string };
    this.#digest = { challenge, uses };
    return this.#authorization(digestAuthorization(challenge, username, password, { ...this.#request, nonceCount: uses }));
  }

  #basic(): AuthorizationHeader {
    const { username, password } = this.#credentials as { username: string; password: string };
    return this.#authorization(basicAuthorization(username, password));
  }

  #authorization(value: string): AuthorizationHeader {
    return { name: this.#header, value };
  }

  #digestOffered(challenges: readonly Challenge[]): DigestChallenge | undefined {
    const answerable = challenges.flatMap((challenge) => digestChallenge(challenge) ?? []);
    const rank = (challenge: DigestChallenge) => digestStrength.indexOf(challenge.algorithm.toLowerCase().replace(/-sess$/, ''));
    return answerable.toSorted((a, b) => rank(a) - rank(b))[0];
  }
}
