import { isUtf8 } from 'node:buffer';
import http from 'node:http';
import https from 'node:https';

import { formatHostPort } from '../../contract/attempt-words.js';
import { NoAnswerError, ProxyError } from './errors.js';
import { credentialsOf, loginChallenges, ProxyLogin } from './routes/proxy-auth/login.js';
import type { AuthorizationHeader, LoginMemory } from './routes/proxy-auth/login.js';
import { neverConnected, proxyUnreachable } from './routes/proxy-leg.js';
import { proxyLogin } from './routes/proxy-logins.js';
import type { ProxyLogins } from './routes/proxy-logins.js';
import type { TlsTrust } from './trust.js';

/** A plain HTTP proxy that forwards requests written with an absolute URI (no CONNECT needed). */
export interface ForwardProxy {
  host: string;
  port: number;
  username?: string;
  password?: string;
  /** Configured, but kept back: the path is one the plan does not allow, only probed. */
  withholdCredentials?: boolean;
  /** The race's proxy logins, which this request's login joins. */
  logins?: ProxyLogins;
}

export interface PostOptions {
  agent: http.Agent;
  tls?: TlsTrust;
  /** Only for http:// URLs. */
  forwardProxy?: ForwardProxy;
  timeoutMs: number;
  signal: AbortSignal;
  /** Sees each piece of the answer as it arrives; what it throws stops the answer and rejects the post. */
  inspect?: (chunk: Buffer, status: number) => void;
}

export interface HttpReply {
  status: number;
  statusText: string;
  text: string;
  /** The body's bytes are UTF-8 (`text` has U+FFFD where they are not). */
  utf8: boolean;
}

/**
 * One POST of an XML document; rejects on network failure, abort, or no complete answer in time.
 * Through a forward proxy that asks for a login, the post is sent again with the answer, the race's
 * logins deciding who tries the credentials first.
 */
export function postXml(url: URL, body: string, options: PostOptions): Promise<HttpReply> {
  const proxy = options.forwardProxy;
  if (!proxy) return send(url, body, options);
  const { logins } = proxy;
  const login = proxyLogin({ type: 'http', ...proxy });
  if (!logins || proxy.username === undefined) return postThroughProxy(url, body, options, proxy, {});
  if (proxy.withholdCredentials) return postThroughProxy(url, body, options, proxy, logins.memory(login));
  return logins.through(login, () => postThroughProxy(url, body, options, proxy, logins.memory(login)));
}

async function postThroughProxy(url: URL, body: string, options: PostOptions, proxy: ForwardProxy, memory: LoginMemory): Promise<HttpReply> {
  const login = new ProxyLogin(credentialsOf(proxy), memory, { method: 'POST', uri: url.href });
  const refused = login.refusedBeforehand();
  if (refused) throw new ProxyError('authentication', formatHostPort(proxy.host, proxy.port), url.host, 'the login is kept back from this path', refused.status, refused);
  // NTLM logs a connection in: its legs go on one socket of their own.
  let ntlmAgent: http.Agent | undefined;
  try {
    for (let authorization = login.first(); ; ) {
      if (authorization?.value.startsWith('NTLM ')) ntlmAgent ??= new http.Agent({ keepAlive: true, maxSockets: 1 });
      const reply = await send(url, body, { ...options, agent: ntlmAgent ?? options.agent }, authorization);
      // Through a forward proxy only a 407 is the proxy's: a 401 is the server's.
      const challenges = reply.status === 407 ? loginChallenges(reply) : undefined;
      if (!challenges) {
        login.accepted();
        return reply;
      }
      const step = login.next(407, challenges);
      if ('refused' in step) throw new ProxyError('authentication', formatHostPort(proxy.host, proxy.port), url.host, reply.statusText, 407, step.refused);
      authorization = step.answer;
    }
  } finally {
    ntlmAgent?.destroy();
  }
}

function send(
  url: URL,
  body: string,
  { agent, tls, forwardProxy, timeoutMs, signal, inspect }: PostOptions,
  authorization?: AuthorizationHeader,
): Promise<HttpReply & { headers: Map<string, string[]> }> {
  return new Promise((resolve, reject) => {
    const headers = { 'Content-Type': 'text/xml; charset=utf-8', 'Content-Length': Buffer.byteLength(body) };
    const options = { method: 'POST', agent, signal, ...tls };
    const onResponse = (response: http.IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => {
        try {
          inspect?.(chunk, response.statusCode ?? 0);
        } catch (error) {
          fail(error as Error);
          request.destroy();
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', fail);
      response.on('close', () => {
        if (!response.complete) fail(Object.assign(new Error('connection closed mid-answer'), { code: 'ECONNRESET' }));
      });
      response.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks);
        resolve({
          status: response.statusCode ?? 0,
          statusText: response.statusMessage ?? '',
          text: text.toString('utf8'),
          utf8: isUtf8(text),
          headers: new Map(Object.entries(response.headersDistinct).map(([name, values]) => [name, values ?? []])),
        });
      });
    };
    const request = forwardProxy
      ? http.request(
          {
            ...options,
            host: forwardProxy.host,
            port: forwardProxy.port,
            path: url.href,
            headers: { ...headers, Host: url.host, ...(authorization ? { [authorization.name]: authorization.value } : {}) },
          },
          onResponse,
        )
      : (url.protocol === 'https:' ? https : http).request(url, { ...options, headers }, onResponse);
    const timer = setTimeout(() => request.destroy(new NoAnswerError(url.host, timeoutMs)), timeoutMs);
    function fail(error: Error) {
      clearTimeout(timer);
      reject(error);
    }
    // Through a forward proxy, the connection that failed to open is the proxy's, not the server's.
    request.on('error', (error) => fail(forwardProxy && neverConnected(error) ? proxyUnreachable(error, forwardProxy, url.host) : error));
    request.end(body);
  });
}
