import { lookup } from 'node:dns/promises';
import type net from 'node:net';

import { SocksClient } from 'socks';

import { formatHostPort } from '../../../contract/attempt-words.js';
import { NoAnswerError, ProxyError } from '../errors.js';
import type { OpenOptions } from './direct.js';
import { openProxySocket } from './proxy-leg.js';

export interface SocksProxyEndpoint {
  host: string;
  port: number;
  version: 4 | 5;
  username?: string;
  password?: string;
  /** SOCKS4a / SOCKS5h: the proxy looks the server's name up, for networks without outside DNS. */
  resolveThroughProxy: boolean;
}

const refusalReasons: Record<string, string> = {
  NotAllowed: 'not allowed by its rules',
  ConnectionRefused: 'the server refused the connection',
  HostUnreachable: 'the server is unreachable from the proxy',
  NetworkUnreachable: 'the server is unreachable from the proxy',
  TTLExpired: 'no answer from the server',
  Failure: 'general failure',
  Rejected: 'rejected',
  Failed: 'rejected',
  RejectedIdent: 'rejected (ident)',
};

/** A raw socket to `target` through a SOCKS4/4a/5/5h proxy, with user name and password for SOCKS5. */
export async function openSocksTunnel(
  proxy: SocksProxyEndpoint,
  target: { host: string; port: number },
  options: OpenOptions,
): Promise<net.Socket> {
  const proxyName = formatHostPort(proxy.host, proxy.port);
  const targetName = formatHostPort(target.host, target.port);
  const destination = proxy.resolveThroughProxy
    ? target.host
    : (await lookup(target.host, { family: proxy.version === 4 ? 4 : 0 })).address;
  const socket = await openProxySocket(proxy, targetName, options);
  const { signal } = options;
  const onAbort = () => socket.destroy(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    const established = await SocksClient.createConnection({
      command: 'connect',
      proxy: {
        host: proxy.host,
        port: proxy.port,
        type: proxy.version,
        ...(proxy.username === undefined ? {} : { userId: proxy.username, password: proxy.password ?? '' }),
      },
      destination: { host: destination, port: target.port },
      timeout: options.timeoutMs,
      existing_socket: socket,
    });
    return established.socket;
  } catch (error) {
    socket.destroy();
    if (signal.aborted) throw signal.reason;
    throw describeSocksError(error, proxyName, targetName, options.timeoutMs);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function describeSocksError(error: unknown, proxyName: string, targetName: string, timeoutMs: number): Error {
  const message = error instanceof Error ? error.message : String(error);
  if (/timed out/i.test(message)) return new NoAnswerError(proxyName, timeoutMs);
  if (/authentication failed/i.test(message)) {
    return new ProxyError('authentication', proxyName, targetName, 'the proxy rejected the user name or password');
  }
  if (/no accepted authentication type/i.test(message)) {
    return new ProxyError('authentication', proxyName, targetName, 'the proxy accepts none of the offered authentication methods');
  }
  const refusal = /rejected connection - \(?(\w+)\)?/i.exec(message)?.[1];
  if (refusal) return new ProxyError('refused-tunnel', proxyName, targetName, refusalReasons[refusal] ?? refusal);
  if (/socket closed/i.test(message)) {
    return new ProxyError('protocol', proxyName, targetName, 'it closed the connection during the SOCKS handshake');
  }
  return new ProxyError('protocol', proxyName, targetName, message);
}
