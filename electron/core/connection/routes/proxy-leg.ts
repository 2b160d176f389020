import type net from 'node:net';

import { formatHostPort } from '../../../contract/attempt-words.js';
import { NoAnswerError, ProxyError } from '../errors.js';
import { openTcpSocket } from './direct.js';
import type { OpenOptions } from './direct.js';

const plainReasons: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'no route to it',
  ENETUNREACH: 'no route to it',
  ENOTFOUND: 'its name was not found in DNS',
  EAI_AGAIN: 'looking its name up in DNS failed for now',
};

/** The TCP connection to a proxy; failing to reach the proxy is reported as the proxy's fault. */
export async function openProxySocket(
  proxy: { host: string; port: number },
  target: string,
  options: OpenOptions,
): Promise<net.Socket> {
  try {
    return await openTcpSocket(proxy.host, proxy.port, options);
  } catch (error) {
    if (options.signal.aborted) throw error;
    throw proxyUnreachable(error, proxy, target);
  }
}

const notOpened = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** Whether a socket error means the connection to its peer never opened (refused, no route, no such name). */
export function neverConnected(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && notOpened.has(code);
}

/** The proxy could not be reached, with the reason in plain words: "connection refused". */
export function proxyUnreachable(error: unknown, proxy: { host: string; port: number }, target: string): ProxyError {
  const code = (error as { code?: string }).code ?? '';
  const detail = error instanceof NoAnswerError ? `no answer within ${error.timeoutMs} ms` : (plainReasons[code] ?? String(error));
  return new ProxyError('unreachable', formatHostPort(proxy.host, proxy.port), target, detail);
}
