/**
 * S16's proxy: an HTTP CONNECT proxy that asks for its login the way a web server does, with
 * `401 Unauthorized` and `WWW-Authenticate: Basic`, instead of a proxy's 407 and
 * Proxy-Authenticate. Such proxies exist (and some clients give up on them); a client answers a
 * 401 with `Authorization`, which this proxy accepts (and, to be lenient, Proxy-Authorization).
 * Never an open proxy: it only tunnels to lab addresses on port 443. Every CONNECT's login is
 * logged, one JSON line each (ProxyLoginRecord). Runs inside the world agent.
 */
import { appendFileSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { BlockList, connect, createServer, isIP, type Server, type Socket } from 'node:net';
import type { ProxyLoginRecord } from './proxy-logins.js';

/** The 401 proxy's account. */
export const unauthorizedProxyCredentials = { username: 'burrow', password: 'proxy401-lab-password' } as const;

/** Where the world agent logs the 401 proxy's logins, relative to the lab's folder. */
export const unauthorizedProxyLog = 'unauthorized-proxy.log';

export interface UnauthorizedProxyConfig {
  host: string;
  port: number;
  username: string;
  password: string;
  realm: string;
  logFile: string;
  /** Where it tunnels: these networks ("198.18.0.0/15") and ports. */
  destinations: { networks: readonly string[]; ports: readonly number[] };
}

/** A request head larger than this is not a CONNECT a client means. */
const maxHeadBytes = 16 * 1024;
const connectTimeoutMs = 5_000;

interface RequestHead {
  method: string;
  target: string;
  headers: Map<string, string>;
}

function parseHead(text: string): RequestHead | undefined {
  const [requestLine = '', ...lines] = text.split('\r\n');
  const [method, target, version] = requestLine.split(' ');
  if (!method || !target || !version?.startsWith('HTTP/1.')) return undefined;
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { method, target, headers };
}

/** user and password from a Basic header value; undefined for any other scheme. */
function basicCredentials(value: string | undefined): { username: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(value ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function response(status: string, headers: Record<string, string>, body = ''): string {
  const lines = Object.entries({ ...headers, 'Content-Type': 'text/plain', 'Content-Length': String(Buffer.byteLength(body)) }).map(
    ([name, value]) => `${name}: ${value}\r\n`,
  );
  return `HTTP/1.1 ${status}\r\n${lines.join('')}\r\n${body}`;
}

export function startUnauthorizedProxy(config: UnauthorizedProxyConfig): Promise<Server> {
  const allowed = new BlockList();
  for (const network of config.destinations.networks) {
    const [address = '', prefix = '32'] = network.split('/');
    allowed.addSubnet(address, Number(prefix));
  }
  const log = (record: Omit<ProxyLoginRecord, 'at'>): void => appendFileSync(config.logFile, `${JSON.stringify({ at: new Date().toISOString(), ...record })}\n`);

  /** Where `target` ("host:port") may be tunnelled to, or why not. */
  const destination = async (target: string): Promise<{ address: string; port: number } | { refusal: string }> => {
    const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
    if (!match?.[1] || !match[2]) return { refusal: 'not a host:port' };
    const port = Number(match[2]);
    if (!config.destinations.ports.includes(port)) return { refusal: `port ${port} is not allowed` };
    const address = isIP(match[1]) ? match[1] : (await lookup(match[1], { family: 4 }).catch(() => undefined))?.address;
    if (!address) return { refusal: `${match[1]} does not resolve` };
    if (!allowed.check(address)) return { refusal: `${address} is outside the lab` };
    return { address, port };
  };

  const tunnel = (client: Socket, to: { address: string; port: number }, rest: Buffer): Promise<boolean> =>
    new Promise((resolve) => {
      const upstream = connect({ host: to.address, port: to.port, timeout: connectTimeoutMs });
      upstream.once('connect', () => {
        upstream.setTimeout(0);
        client.write('HTTP/1.1 200 Connection established\r\n\r\n');
        if (rest.length > 0) upstream.write(rest);
        client.pipe(upstream).pipe(client);
        resolve(true);
      });
      const fail = (): void => {
        upstream.destroy();
        resolve(false);
      };
      upstream.once('timeout', fail);
      upstream.once('error', fail);
      client.once('close', () => upstream.destroy());
      upstream.once('close', () => client.destroy());
    });

  /** Handles one request on the connection; resolves true while the connection carries more requests. */
  const handle = async (client: Socket, head: RequestHead, rest: Buffer): Promise<boolean> => {
    const reply = (text: string, keepAlive: boolean): boolean => {
      client.write(text);
      if (!keepAlive) client.end();
      return keepAlive;
    };
    const keepAlive = head.headers.get('connection')?.toLowerCase() !== 'close';
    if (head.method !== 'CONNECT') {
      return reply(response('405 Method Not Allowed', { Allow: 'CONNECT', Connection: 'close' }, 'This proxy only tunnels (CONNECT).\n'), false);
    }
    const given = basicCredentials(head.headers.get('authorization') ?? head.headers.get('proxy-authorization'));
    const challenge = response(
      '401 Unauthorized',
      { 'WWW-Authenticate': `Basic realm="${config.realm}"`, ...(keepAlive ? {} : { Connection: 'close' }) },
      'Log in to use this proxy.\n',
    );
    if (!given) {
      log({ outcome: 'no-credentials', target: head.target });
      return reply(challenge, keepAlive);
    }
    if (given.username !== config.username || given.password !== config.password) {
      log({ outcome: 'refused', user: given.username, target: head.target, reason: 'wrong user name or password' });
      return reply(challenge, keepAlive);
    }
    const to = await destination(head.target);
    if ('refusal' in to) {
      log({ outcome: 'accepted', user: given.username, target: head.target, tunnel: 'forbidden', reason: to.refusal });
      return reply(response('403 Forbidden', { Connection: 'close' }, `${to.refusal}\n`), false);
    }
    const opened = await tunnel(client, to, rest);
    log({ outcome: 'accepted', user: given.username, target: head.target, tunnel: opened ? 'opened' : 'failed' });
    if (!opened) reply(response('502 Bad Gateway', { Connection: 'close' }, `could not reach ${head.target}\n`), false);
    return false;
  };

  const server = createServer((client) => {
    let buffered = Buffer.alloc(0);
    let busy = false;
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      void next();
    };
    const next = async (): Promise<void> => {
      if (busy) return;
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buffered.length > maxHeadBytes) client.end(response('431 Request Header Fields Too Large', { Connection: 'close' }));
        return;
      }
      const head = parseHead(buffered.subarray(0, end).toString('latin1'));
      const rest = buffered.subarray(end + 4);
      buffered = Buffer.alloc(0);
      if (!head) {
        client.end(response('400 Bad Request', { Connection: 'close' }));
        return;
      }
      // One request at a time; a tunnel takes the connection over, and what the client sends next is the tunnel's.
      busy = true;
      client.pause();
      client.off('data', onData);
      const more = await handle(client, head, rest);
      busy = false;
      if (more) {
        buffered = Buffer.concat([rest, buffered]);
        client.on('data', onData);
        client.resume();
        void next();
      }
    };
    client.on('data', onData);
    client.on('error', () => client.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve(server));
  });
}
