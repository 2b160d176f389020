/**
 * What the BOSH transport needs from an HTTP stack: post one XML document, get the whole answer.
 * Burrow's own stack (Node's http along a route) is the one plain Node has; in Electron, "Use my
 * system proxy settings" may hand BOSH over HTTPS to Chromium's (electron/main/chromium-http-stack.ts).
 */
import type http from 'node:http';

import { postXml } from './http-post.js';
import type { ForwardProxy, HttpReply } from './http-post.js';
import type { TlsTrust } from './trust.js';

export type { HttpReply } from './http-post.js';

export interface XmlPost {
  url: URL;
  /** Sent as POST with Content-Type text/xml; charset=utf-8. */
  body: string;
  /** No complete answer by then rejects with NoAnswerError. */
  timeoutMs: number;
  signal: AbortSignal;
  /** Sees each piece of the answer as it arrives; what it throws stops the answer and rejects the post. */
  inspect?: (chunk: Buffer, status: number) => void;
}

export interface HttpStack {
  post(request: XmlPost): Promise<HttpReply>;
  /** Lets go of its connections once the session is done with them. */
  close(): void;
}

export interface BurrowHttpStackOptions {
  agent: http.Agent;
  tls?: TlsTrust;
  forwardProxy?: ForwardProxy;
}

/** Node's http along Burrow's own routes: the agent owns the connections and goes with close(). */
export function burrowHttpStack({ agent, tls, forwardProxy }: BurrowHttpStackOptions): HttpStack {
  return {
    post: ({ url, body, ...request }) =>
      postXml(url, body, { ...request, agent, ...(tls ? { tls } : {}), ...(forwardProxy ? { forwardProxy } : {}) }),
    close: () => agent.destroy(),
  };
}
