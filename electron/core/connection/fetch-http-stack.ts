/**
 * An HTTP stack over a WHATWG fetch. Electron's session.fetch makes it Chromium's network stack
 * (its proxy settings, PAC/WPAD, proxy sign-in and certificate verification); plain Node's fetch
 * runs the same code in tests.
 */
import { isUtf8 } from 'node:buffer';

import { NoAnswerError } from './errors.js';
import type { HttpReply, HttpStack, XmlPost } from './http-stack.js';

export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export function fetchHttpStack(fetch: Fetch): HttpStack {
  return {
    post: (request) => post(fetch, request),
    // The stack pools its own connections; each session aborts its requests itself.
    close: () => {},
  };
}

async function post(fetch: Fetch, { url, body, timeoutMs, signal, inspect }: XmlPost): Promise<HttpReply> {
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new NoAnswerError(url.host, timeoutMs)), timeoutMs);
  const either = AbortSignal.any([signal, timeout.signal]);
  try {
    const response = await fetch(url.href, {
      method: 'POST',
      headers: { 'Content-Type': 'text/xml; charset=utf-8' },
      body,
      signal: either,
      // A BOSH endpoint that redirects is not one: the answer is shown for what it is.
      redirect: 'manual',
      // No cookies, no sign-in to the server (BOSH needs neither); the proxy's sign-in is not the server's.
      credentials: 'omit',
    }).catch((error: unknown) => {
      throw either.aborted ? either.reason : failure(error);
    });
    let refusal: unknown;
    const chunks: Buffer[] = [];
    try {
      const reader = response.body?.getReader();
      for (let piece = await reader?.read(); piece && !piece.done; piece = await reader?.read()) {
        const chunk = Buffer.from(piece.value);
        try {
          inspect?.(chunk, response.status);
        } catch (error) {
          refusal = error;
          await reader?.cancel().catch(() => {});
          throw error;
        }
        chunks.push(chunk);
      }
    } catch (error) {
      // Aborted mid-answer, the body says only that it was: the reason is the signal's.
      throw either.aborted ? either.reason : error === refusal ? error : failure(error);
    }
    const bytes = Buffer.concat(chunks);
    return { status: response.status, statusText: response.statusText, text: bytes.toString('utf8'), utf8: isUtf8(bytes) };
  } finally {
    clearTimeout(timer);
  }
}

/** Chromium's names for a request the network lost (net/base/net_error_list.h), and Node's fetch's codes for one. */
const chromiumLost = /net::ERR_(CONNECTION_(RESET|CLOSED|ABORTED)|EMPTY_RESPONSE|NETWORK_CHANGED)\b/;
const nodeLost = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);

/**
 * A failure in the stack's own words, with its cause's; a lost request is marked as one, so that
 * BOSH resends it with its rid. Anything else (a certificate Chromium refused: net::ERR_CERT_…)
 * reaches the diagnosis as the stack said it.
 */
function failure(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const cause = error.cause instanceof Error ? error.cause : undefined;
  const message = cause ? `${error.message}: ${cause.message}` : error.message;
  const causeCode = (cause as { code?: unknown } | undefined)?.code;
  const isLost = chromiumLost.test(message) || (typeof causeCode === 'string' && nodeLost.has(causeCode));
  return Object.assign(new Error(message), isLost ? { code: 'ECONNRESET' } : {});
}
