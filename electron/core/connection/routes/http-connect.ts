import type net from 'node:net';
import tls from 'node:tls';

import { formatHostPort } from '../address.js';
import { NoAnswerError, ProxyError } from '../errors.js';
import type { TlsTrust } from '../trust.js';
import type { OpenOptions } from './direct.js';
import { openProxySocket } from './proxy-leg.js';

export interface HttpProxyEndpoint {
  host: string;
  port: number;
  /** TLS to the proxy itself (the "HTTPS" proxy type). */
  secure: boolean;
  username?: string;
  password?: string;
  tls?: TlsTrust;
}

const MAX_RESPONSE_HEAD_BYTES = 16 * 1024;

/**
 * A raw socket to `target` through an HTTP proxy's CONNECT method, so that STARTTLS, direct TLS or
 * a WebSocket/BOSH client can run over it as if it were a direct connection.
 */
export async function openHttpTunnel(
  proxy: HttpProxyEndpoint,
  target: { host: string; port: number },
  options: OpenOptions,
): Promise<net.Socket> {
  const proxyName = formatHostPort(proxy.host, proxy.port);
  const targetName = formatHostPort(target.host, target.port);
  const tcp = await openProxySocket(proxy, targetName, options);
  const socket = proxy.secure ? await startTls(tcp, proxy, options) : tcp;
  const credentials =
    proxy.username === undefined
      ? []
      : [`Proxy-Authorization: Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ''}`).toString('base64')}`];
  socket.write([`CONNECT ${targetName} HTTP/1.1`, `Host: ${targetName}`, ...credentials, '', ''].join('\r\n'));
  const { status, reason } = await readResponseHead(socket, proxyName, targetName, options);
  if (status >= 200 && status < 300) return socket;
  socket.destroy();
  const kind = status === 407 ? 'authentication' : 'refused-tunnel';
  throw new ProxyError(kind, proxyName, targetName, reason, status);
}

function startTls(socket: net.Socket, proxy: HttpProxyEndpoint, { signal }: OpenOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const secured = tls.connect({ socket, servername: proxy.host, ...proxy.tls });
    const onAbort = () => secured.destroy(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    secured.once('error', (error) => {
      signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    secured.once('secureConnect', () => {
      signal.removeEventListener('abort', onAbort);
      resolve(secured);
    });
  });
}

/**
 * Reads the proxy's answer to CONNECT; bytes after the head belong to the tunnel and are put back.
 * 'readable' rather than 'data', so the socket is left unpaused but not flowing: whoever takes it
 * next loses nothing.
 */
function readResponseHead(
  socket: net.Socket,
  proxyName: string,
  targetName: string,
  { signal, timeoutMs }: OpenOptions,
): Promise<{ status: number; reason: string }> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new NoAnswerError(proxyName, timeoutMs)), timeoutMs);
    const onAbort = () => fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    const protocolError = (detail: string) => new ProxyError('protocol', proxyName, targetName, detail);
    const onClose = () => fail(protocolError('it closed the connection without answering CONNECT'));
    const onReadable = () => {
      for (let chunk: Buffer | null = socket.read(); chunk !== null; chunk = socket.read()) {
        received = Buffer.concat([received, chunk]);
      }
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) {
        if (received.length > MAX_RESPONSE_HEAD_BYTES) fail(protocolError('its answer to CONNECT is too long'));
        return;
      }
      const statusLine = received.subarray(0, received.indexOf('\r\n')).toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine);
      if (!match) {
        fail(protocolError(`it answered CONNECT with "${statusLine.slice(0, 80)}"`));
        return;
      }
      cleanUp();
      const rest = received.subarray(end + 4);
      if (rest.length > 0) socket.unshift(rest);
      resolve({ status: Number(match[1]), reason: match[2] ?? '' });
    };
    function cleanUp() {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.off('readable', onReadable);
      socket.off('close', onClose);
      socket.off('error', fail);
    }
    function fail(error: unknown) {
      cleanUp();
      socket.destroy();
      reject(error);
    }
    socket.on('readable', onReadable);
    socket.once('close', onClose);
    socket.once('error', fail);
  });
}
