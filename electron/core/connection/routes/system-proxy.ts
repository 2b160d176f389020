/**
 * "Use my system proxy settings". Every source answers in the PAC result format
 * ("PROXY host:port; DIRECT"), as Electron's session.resolveProxy does, so the connection manager
 * sees one interface whether the answer came from Electron, a PAC file, or the environment.
 */
import { createPacResolver } from 'pac-resolver';
import { QuickJS } from 'quickjs-wasi';

import { formatHostPort } from '../../../contract/attempt-words.js';
import type { Endpoint, ProxyType } from '../candidate.js';

export interface ProxyResolver {
  /** A PAC-style answer for `url`, e.g. "PROXY proxy.lab.test:3128; DIRECT". */
  resolve(url: string): Promise<string>;
}

export type ProxyDirective = { kind: 'direct' } | { kind: 'proxy'; type: ProxyType; host: string; port: number };

const pacKeywords: Record<string, ProxyType> = {
  PROXY: 'http',
  HTTP: 'http',
  HTTPS: 'https',
  SOCKS: 'socks4',
  SOCKS4: 'socks4',
  SOCKS5: 'socks5',
};

/** The ways to go, in order; entries this client cannot use (e.g. QUIC) are left out. */
export function parsePacResult(result: string): ProxyDirective[] {
  const directives = result
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .flatMap((entry): ProxyDirective[] => {
      const [keyword = '', hostPort = ''] = entry.split(/\s+/);
      if (keyword.toUpperCase() === 'DIRECT') return [{ kind: 'direct' }];
      const type = pacKeywords[keyword.toUpperCase()];
      const match = /^\[?([^\]]+?)\]?:(\d{1,5})$/.exec(hostPort);
      if (!type || !match) return [];
      return [{ kind: 'proxy', type, host: (match[1] ?? '').toLowerCase(), port: Number(match[2]) }];
    });
  return directives.length > 0 ? directives : [{ kind: 'direct' }];
}

/**
 * The URL a PAC script or proxy setting is asked about for an endpoint. Raw XMPP streams are
 * asked about as https:// so that the answer is a proxy that allows CONNECT.
 */
export function proxyLookupUrl(endpoint: Endpoint): string {
  const hostPort = formatHostPort(endpoint.host, endpoint.port);
  const scheme = endpoint.transport === 'starttls' || endpoint.transport === 'directtls' || endpoint.secure ? 'https' : 'http';
  return `${scheme}://${hostPort}${endpoint.path ?? '/'}`;
}

/** From HTTPS_PROXY / HTTP_PROXY / ALL_PROXY / NO_PROXY (lower case first, as curl reads them). */
export function environmentProxyResolver(env: Record<string, string | undefined> = process.env): ProxyResolver {
  const read = (name: string) => env[name.toLowerCase()] ?? env[name.toUpperCase()];
  return {
    resolve: async (url) => {
      const { protocol, hostname, port } = new URL(url);
      const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
      const effectivePort = Number(port) || (protocol === 'https:' ? 443 : 80);
      if (bypassesProxy(read('no_proxy') ?? '', host, effectivePort)) return 'DIRECT';
      const setting = (protocol === 'https:' ? read('https_proxy') : read('http_proxy')) ?? read('all_proxy');
      return setting ? `${proxyUrlToPac(setting)}; DIRECT` : 'DIRECT';
    },
  };
}

function bypassesProxy(noProxy: string, host: string, port: number): boolean {
  return noProxy
    .split(/[,\s]+/)
    .filter((entry) => entry !== '')
    .some((entry) => {
      if (entry === '*') return true;
      const { pattern, entryPort } = splitNoProxyEntry(entry);
      if (entryPort !== undefined && entryPort !== port) return false;
      const domain = pattern.replace(/^\*?\./, '').toLowerCase();
      return host === domain || host.endsWith(`.${domain}`);
    });
}

/** "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 address. */
function splitNoProxyEntry(entry: string): { pattern: string; entryPort?: number } {
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
  if (bracketed) return { pattern: bracketed[1] ?? '', ...(bracketed[2] ? { entryPort: Number(bracketed[2]) } : {}) };
  const colons = entry.split(':').length - 1;
  if (colons !== 1) return { pattern: entry };
  const [pattern = '', port = ''] = entry.split(':');
  return { pattern, entryPort: Number(port) };
}

const schemeKeywords: Record<string, [keyword: string, defaultPort: number]> = {
  'http:': ['PROXY', 80],
  'https:': ['HTTPS', 443],
  'socks:': ['SOCKS5', 1080],
  'socks5:': ['SOCKS5', 1080],
  'socks5h:': ['SOCKS5', 1080],
  'socks4:': ['SOCKS4', 1080],
  'socks4a:': ['SOCKS4', 1080],
};

function proxyUrlToPac(setting: string): string {
  const url = new URL(setting.includes('://') ? setting : `http://${setting}`);
  const [keyword, defaultPort] = schemeKeywords[url.protocol] ?? ['PROXY', 80];
  return `${keyword} ${formatHostPort(url.hostname.replace(/^\[|\]$/g, ''), Number(url.port) || defaultPort)}`;
}

/** Runs a PAC script in a QuickJS sandbox. */
export async function pacScriptResolver(script: string): Promise<ProxyResolver> {
  const findProxyForUrl = createPacResolver(await QuickJS.create(), script);
  return { resolve: (url) => findProxyForUrl(url) };
}

export type LoadPacScript = (url: string, signal: AbortSignal) => Promise<string>;

const fetchPacScript: LoadPacScript = async (url, signal) => {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`the PAC file at ${url} could not be loaded (HTTP ${response.status})`);
  return response.text();
};

/** Loads the PAC file at `pacUrl` once and resolves with it. */
export async function pacUrlResolver(pacUrl: string, load: LoadPacScript = fetchPacScript, timeoutMs = 5000): Promise<ProxyResolver> {
  return pacScriptResolver(await load(pacUrl, AbortSignal.timeout(timeoutMs)));
}
