import type net from 'node:net';

import type { Endpoint, ProxySettings, Route } from '../candidate.js';
import { ProxyError } from '../errors.js';
import { openTcpSocket } from './direct.js';
import type { OpenOptions } from './direct.js';
import { openHttpTunnel } from './http-connect.js';
import type { LoginMemory } from './proxy-auth/login.js';
import { proxyLogin, type ProxyLogins } from './proxy-logins.js';
import { openSocksTunnel } from './socks.js';
import { parsePacResult, proxyLookupUrl } from './system-proxy.js';
import type { ProxyResolver } from './system-proxy.js';

export interface RouteOptions extends OpenOptions {
  /** Where "system proxy" routes are looked up (Electron's session, a PAC file, or the environment). */
  systemProxy?: ProxyResolver;
  /** The race's proxy logins: one tunnel tries the credentials, the others follow its answer. */
  logins?: ProxyLogins;
  /** A path the plan does not allow, only probed: configured proxy credentials are not sent along it. */
  withholdCredentials?: boolean;
}

interface TunnelOptions extends OpenOptions {
  withholdCredentials?: boolean;
  login?: LoginMemory;
}

/** A raw socket to the endpoint along the route; TLS, if any, is the transport's business. */
export async function openRouteSocket(route: Route, endpoint: Endpoint, options: RouteOptions): Promise<net.Socket> {
  const target = { host: endpoint.host, port: endpoint.port };
  switch (route.kind) {
    case 'direct':
      return openTcpSocket(target.host, target.port, options);
    case 'proxy': {
      const { proxy } = route;
      const { logins } = options;
      if (proxy.username === undefined || !logins) return openProxyTunnel(proxy, target, options);
      const login = proxyLogin(proxy);
      if (options.withholdCredentials) return openProxyTunnel(proxy, target, { ...options, login: logins.memory(login) });
      return logins.through(login, async () => {
        // The proxy's answer to the login is awaited even when the race moves on: a tunnel cut off
        // mid-login would leave the next one to try the same credentials again.
        const socket = await openProxyTunnel(proxy, target, { ...options, signal: AbortSignal.timeout(options.timeoutMs), login: logins.memory(login) });
        if (options.signal.aborted) {
          socket.destroy();
          throw options.signal.reason;
        }
        return socket;
      });
    }
    case 'system':
      return openSystemRoute(endpoint, options);
  }
}

export function openProxyTunnel(proxy: ProxySettings, target: { host: string; port: number }, options: TunnelOptions): Promise<net.Socket> {
  const { host, port, username, password } = proxy;
  const { withholdCredentials, login, ...open } = options;
  const credentials = username === undefined ? {} : { username, password: password ?? '' };
  if (proxy.type === 'http' || proxy.type === 'https') {
    const learnt = { ...(withholdCredentials ? { withholdCredentials } : {}), ...(login ? { login } : {}) };
    return openHttpTunnel({ host, port, secure: proxy.type === 'https', ...credentials, ...learnt }, target, open);
  }
  const version = proxy.type === 'socks4' ? 4 : 5;
  const socksCredentials = withholdCredentials ? {} : credentials;
  return openSocksTunnel({ host, port, version, resolveThroughProxy: proxy.resolveThroughProxy, ...socksCredentials }, target, open);
}

/**
 * Tries what the system says, in its order ("PROXY a:3128; DIRECT"); the last failure is the one
 * reported. As in browsers, the next entry is only for when a proxy cannot be reached: a proxy that
 * answered (refused the tunnel, wanted credentials) has decided, and going around it would only
 * wait on a path the network blocks.
 */
async function openSystemRoute(endpoint: Endpoint, options: RouteOptions): Promise<net.Socket> {
  if (!options.systemProxy) throw new Error('no system proxy settings are available in this environment');
  const directives = parsePacResult(await options.systemProxy.resolve(proxyLookupUrl(endpoint)));
  let lastError: unknown;
  for (const directive of directives) {
    try {
      return directive.kind === 'direct'
        ? await openRouteSocket({ kind: 'direct' }, endpoint, options)
        : await openProxyTunnel({ ...directive, resolveThroughProxy: true }, endpoint, options);
    } catch (error) {
      if (options.signal.aborted || (error instanceof ProxyError && error.kind !== 'unreachable')) throw error;
      lastError = error;
    }
  }
  throw lastError;
}
