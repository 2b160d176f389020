import type net from 'node:net';
import tls from 'node:tls';

import { formatHostPort } from '../../../contract/attempt-words.js';
import { ProxyError } from '../errors.js';
import type { TlsTrust } from '../trust.js';
import type { OpenOptions } from './direct.js';
import { drainBody, readResponseHead } from './http-wire.js';
import { credentialsOf, loginChallenges, ProxyLogin } from './proxy-auth/login.js';
import type { LoginMemory } from './proxy-auth/login.js';
import { openProxySocket } from './proxy-leg.js';

export interface HttpProxyEndpoint {
  host: string;
  port: number;
  /** TLS to the proxy itself (the "HTTPS" proxy type). */
  secure: boolean;
  username?: string;
  password?: string;
  /** Configured, but kept back: the path is one the plan does not allow, only probed. */
  withholdCredentials?: boolean;
  /** What the race has learnt of this proxy's login; a tunnel of its own otherwise. */
  login?: LoginMemory;
  tls?: TlsTrust;
}

/**
 * A raw socket to `target` through an HTTP proxy's CONNECT method, so that STARTTLS, direct TLS or
 * a WebSocket/BOSH client can run over it as if it were a direct connection. A proxy that asks for
 * a login (407, or 401 with WWW-Authenticate) is answered in the scheme it offers, on the same
 * connection while it stays open (NTLM's last leg needs it), on a new one otherwise.
 */
export async function openHttpTunnel(proxy: HttpProxyEndpoint, target: { host: string; port: number }, options: OpenOptions): Promise<net.Socket> {
  const exchange = { ...options, proxyName: formatHostPort(proxy.host, proxy.port), targetName: formatHostPort(target.host, target.port) };
  const { proxyName, targetName } = exchange;
  const login = new ProxyLogin(credentialsOf(proxy), proxy.login ?? {}, { method: 'CONNECT', uri: targetName });
  const refused = login.refusedBeforehand();
  if (refused) throw new ProxyError('authentication', proxyName, targetName, 'the login is kept back from this path', refused.status, refused);
  let socket = await connectToProxy(proxy, targetName, options);
  for (let authorization = login.first(); ; ) {
    const authorizationLine = authorization ? [`${authorization.name}: ${authorization.value}`] : [];
    socket.write([`CONNECT ${targetName} HTTP/1.1`, `Host: ${targetName}`, ...authorizationLine, '', ''].join('\r\n'));
    const head = await readResponseHead(socket, exchange);
    if (head.status >= 200 && head.status < 300) {
      login.accepted();
      return socket;
    }
    const challenges = loginChallenges(head);
    if (!challenges) {
      socket.destroy();
      throw new ProxyError('refused-tunnel', proxyName, targetName, head.reason, head.status);
    }
    const step = login.next(head.status as 401 | 407, challenges);
    if ('refused' in step) {
      socket.destroy();
      throw new ProxyError('authentication', proxyName, targetName, head.reason, head.status, step.refused);
    }
    if (!(await drainBody(socket, head, exchange))) {
      socket.destroy();
      if (step.sameConnection) throw new ProxyError('protocol', proxyName, targetName, 'it closed the connection in the middle of the NTLM login');
      socket = await connectToProxy(proxy, targetName, options);
    }
    authorization = step.answer;
  }
}

async function connectToProxy(proxy: HttpProxyEndpoint, targetName: string, options: OpenOptions): Promise<net.Socket> {
  const tcp = await openProxySocket(proxy, targetName, options);
  return proxy.secure ? startTls(tcp, proxy, options) : tcp;
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
