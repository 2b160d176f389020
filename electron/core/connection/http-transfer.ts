/**
 * Files over HTTP(S) along the session's own route (direct, the configured proxy, the system's):
 * the PUT of an upload slot (XEP-0363) and the GET of a shared file. Certificates are verified with
 * the session's trust against the URL's host; plain http only where unencrypted paths are allowed.
 * Bytes stream from and to files: memory stays bounded whatever the size.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { Endpoint, Route } from './candidate.js';
import { HttpStatusError } from './errors.js';
import { openRouteSocket } from './routes/open-route.js';
import { ProxyLogins } from './routes/proxy-logins.js';
import { routeAgent } from './routes/route-agent.js';
import type { ProxyResolver } from './routes/system-proxy.js';
import { tlsTrustFor } from './trust.js';
import type { CertificateTrust } from './trust.js';

/** The way the session went, for its files to go the same way. */
export interface TransferRoute {
  route: Route;
  trust?: CertificateTrust;
  allowUnencrypted: boolean;
  systemProxy?: ProxyResolver;
}

export interface TransferOptions {
  signal: AbortSignal;
  /** Told the bytes moved so far. */
  onProgress?: (bytes: number) => void;
  /** How long opening the connection (and a proxy's tunnel) may take. */
  connectTimeoutMs?: number;
}

/** An http: URL while unencrypted paths are not allowed. */
export class UnencryptedTransferError extends Error {
  override name = 'UnencryptedTransferError';
  constructor(readonly url: string) {
    super(`${url} is not encrypted, and unencrypted paths are not allowed`);
  }
}

/** A download larger than Burrow takes for its purpose. */
export class TransferTooLargeError extends Error {
  override name = 'TransferTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${maxBytes} bytes`);
  }
}

/** Sends the file at `path` (`size` bytes) with PUT, as an upload slot asks. */
export async function putFile(
  url: URL,
  file: { path: string; size: number; contentType: string; headers: Record<string, string> },
  along: TransferRoute,
  options: TransferOptions,
): Promise<void> {
  const agent = agentAlong(url, along, options);
  try {
    await new Promise<void>((resolve, reject) => {
      const headers = { ...file.headers, 'Content-Type': file.contentType, 'Content-Length': String(file.size) };
      const request = clientFor(url).request(url, { method: 'PUT', agent, signal: options.signal, headers }, (response) => {
        response.resume();
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new HttpStatusError(url.origin + url.pathname, status, response.statusMessage));
        });
      });
      request.on('error', reject);
      pipeline(createReadStream(file.path), counting(options.onProgress), request).catch(reject);
    });
  } finally {
    agent.destroy();
  }
}

/** Fetches `url` into the file at `path`, refusing more than `maxBytes`; the answer's declared type comes back as it was said. */
export async function getFile(url: URL, path: string, maxBytes: number, along: TransferRoute, options: TransferOptions): Promise<{ size: number; contentType: string | null }> {
  const agent = agentAlong(url, along, options);
  try {
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const request = clientFor(url).get(url, { agent, signal: options.signal }, resolve);
      request.on('error', reject);
    });
    if (response.statusCode !== 200) {
      response.resume();
      throw new HttpStatusError(url.origin + url.pathname, response.statusCode ?? 0, response.statusMessage);
    }
    const declared = Number(response.headers['content-length']);
    if (declared > maxBytes) {
      response.destroy();
      throw new TransferTooLargeError(maxBytes);
    }
    let size = 0;
    const bounded = counting((bytes) => {
      size = bytes;
      if (bytes > maxBytes) throw new TransferTooLargeError(maxBytes);
      options.onProgress?.(bytes);
    });
    await pipeline(response, bounded, createWriteStream(path));
    return { size, contentType: response.headers['content-type'] ?? null };
  } finally {
    agent.destroy();
  }
}

function clientFor(url: URL): typeof https | typeof http {
  return url.protocol === 'https:' ? https : http;
}

/** An agent whose connections go along the session's route, TLS verified for the URL's host. */
function agentAlong(url: URL, along: TransferRoute, { signal, connectTimeoutMs = 10_000 }: TransferOptions): http.Agent {
  const secure = url.protocol === 'https:';
  if (!secure && !along.allowUnencrypted) throw new UnencryptedTransferError(url.origin);
  const endpoint: Endpoint = { transport: 'bosh', host: url.hostname, port: Number(url.port) || (secure ? 443 : 80), secure, source: 'address' };
  // Files ride Burrow's own connections: on the system's route, the system's proxy as Burrow looks it up.
  const route: Route = along.route.kind === 'system' ? { kind: 'system' } : along.route;
  const logins = new ProxyLogins();
  const open = () =>
    openRouteSocket(route, endpoint, { signal, timeoutMs: connectTimeoutMs, logins, ...(along.systemProxy ? { systemProxy: along.systemProxy } : {}) });
  return routeAgent(open, secure ? { tlsTrust: tlsTrustFor(url.hostname, along.trust) } : {});
}

/** Passes bytes through, telling the running total; what `tell` throws stops the stream. */
function counting(tell: ((bytes: number) => void) | undefined): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      total += chunk.length;
      try {
        tell?.(total);
        done(null, chunk);
      } catch (error) {
        done(error as Error);
      }
    },
  });
}
