import { isUtf8 } from 'node:buffer';
import http from 'node:http';
import https from 'node:https';

import { NoAnswerError } from './errors.js';
import type { TlsTrust } from './trust.js';

/** A plain HTTP proxy that forwards requests written with an absolute URI (no CONNECT needed). */
export interface ForwardProxy {
  host: string;
  port: number;
  username?: string;
  password?: string;
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

/** One POST of an XML document; rejects on network failure, abort, or no complete answer in time. */
export function postXml(url: URL, body: string, { agent, tls, forwardProxy, timeoutMs, signal, inspect }: PostOptions): Promise<HttpReply> {
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
        const body = Buffer.concat(chunks);
        resolve({ status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', text: body.toString('utf8'), utf8: isUtf8(body) });
      });
    };
    const request = forwardProxy
      ? http.request(
          {
            ...options,
            host: forwardProxy.host,
            port: forwardProxy.port,
            path: url.href,
            headers: { ...headers, Host: url.host, ...proxyAuthorization(forwardProxy) },
          },
          onResponse,
        )
      : (url.protocol === 'https:' ? https : http).request(url, { ...options, headers }, onResponse);
    const timer = setTimeout(() => request.destroy(new NoAnswerError(url.host, timeoutMs)), timeoutMs);
    function fail(error: Error) {
      clearTimeout(timer);
      reject(error);
    }
    request.on('error', fail);
    request.end(body);
  });
}

function proxyAuthorization({ username, password }: ForwardProxy): Record<string, string> {
  if (username === undefined) return {};
  return { 'Proxy-Authorization': `Basic ${Buffer.from(`${username}:${password ?? ''}`).toString('base64')}` };
}
