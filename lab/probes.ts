/**
 * Plain-client probes the lab's checks run inside corp:
 *   node dist/lab/probes.js '<json spec>'
 * prints one JSON result (or, for "hold", one JSON line per event). Outcomes are data, never a
 * non-zero exit, so a check can assert on "refused" or "timeout" as readily as on success.
 */
import { resolveSrv } from 'node:dns/promises';
import { readFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { connect as tcpConnect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';
import { checkServerIdentity, connect as tlsConnect, type TLSSocket } from 'node:tls';

export interface Endpoint {
  host: string;
  port: number;
}

export interface ProxySpec extends Endpoint {
  username?: string;
  password?: string;
}

/** How the probe reaches its target: directly, through HTTP CONNECT, or through SOCKS5. */
export type Route = { kind: 'direct' } | { kind: 'http-connect'; proxy: ProxySpec } | { kind: 'socks5'; proxy: ProxySpec };

export type ProbeSpec =
  | { kind: 'tcp'; target: Endpoint; route?: Route; timeoutMs?: number }
  | { kind: 'xmpp-starttls'; target: Endpoint; domain: string; caFile: string; route?: Route }
  | { kind: 'xmpp-direct-tls'; target: Endpoint; domain: string; caFile: string; route?: Route; login?: { username: string; password: string } }
  | { kind: 'http'; url: string; method?: string; body?: string; headers?: Record<string, string>; caFile?: string; route?: Route; viaProxy?: ProxySpec }
  | { kind: 'hold'; target: Endpoint; domain: string; caFile: string }
  | { kind: 'srv'; name: string };

/** What a probe prints; which fields are present depends on the kind and the outcome. */
export interface ProbeResult {
  outcome: string;
  message?: string;
  ms?: number;
  status?: number;
  head?: string;
  headers?: IncomingHttpHeaders;
  body?: string;
  tls?: TlsOutcome;
  starttlsOffered?: boolean;
  features?: string;
  featuresAfterTls?: string;
  login?: string;
  received?: string;
  records?: unknown[];
}

export interface TlsOutcome {
  authorized: boolean;
  error?: string;
  subjectAltName?: string;
  alpn?: string | false;
}

const defaultTimeoutMs = 4000;

class ProbeError extends Error {
  constructor(
    readonly outcome: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Buffers a socket's bytes so a probe can wait for "n bytes" or "text matching a pattern". */
class Reader {
  private buffer = Buffer.alloc(0);
  private waiter: (() => void) | undefined;
  private ended = false;

  constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.waiter?.();
    });
    socket.on('close', () => {
      this.ended = true;
      this.waiter?.();
    });
    socket.on('error', () => undefined);
  }

  async bytes(count: number, timeoutMs = defaultTimeoutMs): Promise<Buffer> {
    await this.until(() => this.buffer.length >= count, `${count} bytes`, timeoutMs);
    const taken = this.buffer.subarray(0, count);
    this.buffer = this.buffer.subarray(count);
    return taken;
  }

  async text(pattern: RegExp, timeoutMs = defaultTimeoutMs): Promise<string> {
    await this.until(() => pattern.test(this.buffer.toString('utf8')), String(pattern), timeoutMs);
    const text = this.buffer.toString('utf8');
    this.buffer = Buffer.alloc(0);
    return text;
  }

  /** Stops reading so that another consumer (TLS, HTTP) can take the socket over. */
  release(): Socket {
    this.socket.removeAllListeners('data');
    return this.socket;
  }

  private until(done: () => boolean, what: string, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (done()) finish(resolve);
        else if (this.ended) finish(() => reject(new ProbeError('closed', `connection closed while waiting for ${what}`, { received: this.buffer.toString('utf8') })));
      };
      const timer = setTimeout(() => finish(() => reject(new ProbeError('timeout', `no ${what} within ${timeoutMs} ms`, { received: this.buffer.toString('utf8') }))), timeoutMs);
      const finish = (settle: () => void): void => {
        clearTimeout(timer);
        this.waiter = undefined;
        settle();
      };
      this.waiter = check;
      check();
    });
  }
}

function connectTcp(target: Endpoint, timeoutMs = defaultTimeoutMs): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect(target.port, target.host);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ProbeError('timeout', `no answer from ${target.host}:${target.port} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new ProbeError(error.code === 'ECONNREFUSED' ? 'refused' : 'error', error.message, { code: error.code }));
    });
  });
}

const basic = (proxy: ProxySpec): string => `Basic ${Buffer.from(`${proxy.username}:${proxy.password}`).toString('base64')}`;

async function httpConnect(proxy: ProxySpec, target: Endpoint): Promise<Socket> {
  const reader = new Reader(await connectTcp(proxy));
  const authority = `${target.host}:${target.port}`;
  const auth = proxy.username ? `Proxy-Authorization: ${basic(proxy)}\r\n` : '';
  reader.socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`);
  const head = await reader.text(/\r\n\r\n/);
  const status = Number(/^HTTP\/1\.\d (\d{3})/.exec(head)?.[1] ?? 0);
  if (status !== 200) {
    reader.socket.destroy();
    throw new ProbeError('proxy-refused', `proxy answered ${status} to CONNECT ${authority}`, { status, head: head.split('\r\n\r\n')[0] });
  }
  return reader.release();
}

async function socks5Connect(proxy: ProxySpec, target: Endpoint): Promise<Socket> {
  const reader = new Reader(await connectTcp(proxy));
  reader.socket.write(Buffer.from([5, 1, 2]));
  const [, method] = await reader.bytes(2);
  if (method !== 2) throw new ProbeError('socks-refused', `SOCKS5 server chose method ${method}, not username/password`, { method });
  const user = Buffer.from(proxy.username ?? '');
  const password = Buffer.from(proxy.password ?? '');
  reader.socket.write(Buffer.concat([Buffer.from([1, user.length]), user, Buffer.from([password.length]), password]));
  const [, authStatus] = await reader.bytes(2);
  if (authStatus !== 0) throw new ProbeError('socks-auth-failed', `SOCKS5 authentication failed (status ${authStatus})`, { status: authStatus });
  const host = Buffer.from(target.host);
  const port = Buffer.alloc(2);
  port.writeUInt16BE(target.port);
  reader.socket.write(Buffer.concat([Buffer.from([5, 1, 0, 3, host.length]), host, port]));
  const [, reply, , addressType] = await reader.bytes(4);
  if (reply !== 0) throw new ProbeError('socks-refused', `SOCKS5 CONNECT to ${target.host}:${target.port} failed (reply ${reply})`, { reply });
  const addressLength = addressType === 1 ? 4 : addressType === 4 ? 16 : (await reader.bytes(1))[0] ?? 0;
  await reader.bytes(addressLength + 2);
  return reader.release();
}

function openRoute(target: Endpoint, route: Route = { kind: 'direct' }, timeoutMs?: number): Promise<Socket> {
  if (route.kind === 'http-connect') return httpConnect(route.proxy, target);
  if (route.kind === 'socks5') return socks5Connect(route.proxy, target);
  return connectTcp(target, timeoutMs);
}

/** TLS that verifies chain and name against the lab CA; records the certificate's names either way. */
function startTls(socket: Socket, servername: string, caFile: string, alpn?: string[]): Promise<{ tls: TLSSocket; outcome: TlsOutcome }> {
  return new Promise((resolve, reject) => {
    let subjectAltName: string | undefined;
    const tls = tlsConnect({
      socket,
      servername,
      ca: readFileSync(caFile),
      ALPNProtocols: alpn,
      checkServerIdentity: (host, certificate) => {
        subjectAltName = certificate.subjectaltname;
        return checkServerIdentity(host, certificate);
      },
    });
    tls.once('secureConnect', () => resolve({ tls, outcome: { authorized: tls.authorized, subjectAltName, alpn: tls.alpnProtocol ?? false } }));
    tls.once('error', (error: NodeJS.ErrnoException) =>
      reject(new ProbeError('tls-failed', error.message, { tls: { authorized: false, error: error.code ?? error.message, subjectAltName } })),
    );
  });
}

const streamHeader = (domain: string): string =>
  `<?xml version='1.0'?><stream:stream to='${domain}' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>`;
const featuresEnd = /<\/stream:features>/;

async function xmppStarttls(spec: Extract<ProbeSpec, { kind: 'xmpp-starttls' }>): Promise<unknown> {
  const reader = new Reader(await openRoute(spec.target, spec.route));
  reader.socket.write(streamHeader(spec.domain));
  const features = await reader.text(featuresEnd);
  const starttlsOffered = features.includes("xmlns='urn:ietf:params:xml:ns:xmpp-tls'");
  if (!starttlsOffered) return { outcome: 'no-starttls', features };
  reader.socket.write("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  await reader.text(/<proceed/);
  const { tls, outcome } = await startTls(reader.release(), spec.domain, spec.caFile);
  const secure = new Reader(tls);
  tls.write(streamHeader(spec.domain));
  const featuresAfterTls = await secure.text(featuresEnd);
  tls.destroy();
  return { outcome: 'features', starttlsOffered, features, tls: outcome, featuresAfterTls };
}

async function xmppDirectTls(spec: Extract<ProbeSpec, { kind: 'xmpp-direct-tls' }>): Promise<unknown> {
  const { tls, outcome } = await startTls(await openRoute(spec.target, spec.route), spec.domain, spec.caFile, ['xmpp-client']);
  const reader = new Reader(tls);
  tls.write(streamHeader(spec.domain));
  const features = await reader.text(featuresEnd);
  let login: string | undefined;
  if (spec.login) {
    const credentials = Buffer.from(`\0${spec.login.username}\0${spec.login.password}`).toString('base64');
    tls.write(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${credentials}</auth>`);
    login = (await reader.text(/<(success|failure)/)).includes('<success') ? 'success' : 'failure';
  }
  tls.destroy();
  return { outcome: 'features', tls: outcome, features, login };
}

interface HttpResult {
  outcome: 'response';
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  tls?: TlsOutcome;
}

async function httpProbe(spec: Extract<ProbeSpec, { kind: 'http' }>): Promise<HttpResult> {
  const url = new URL(spec.url);
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  const port = Number(url.port) || (secure ? 443 : 80);
  const headers: Record<string, string> = { host: url.host, ...spec.headers };
  let socket: Socket;
  let path = url.pathname + url.search;
  let tls: TlsOutcome | undefined;
  if (spec.viaProxy) {
    // A plain request through a forward proxy: the absolute URI is the request target.
    socket = await connectTcp(spec.viaProxy);
    path = spec.url;
    if (spec.viaProxy.username) headers['proxy-authorization'] = basic(spec.viaProxy);
  } else {
    socket = await openRoute({ host: url.hostname, port }, spec.route);
    if (secure) {
      if (!spec.caFile) throw new ProbeError('error', 'https needs caFile');
      const started = await startTls(socket, url.hostname, spec.caFile);
      socket = started.tls;
      tls = started.outcome;
    }
  }
  if (spec.body !== undefined) headers['content-length'] = String(Buffer.byteLength(spec.body));
  return new Promise((resolve, reject) => {
    const req = request({ createConnection: () => socket, method: spec.method ?? 'GET', path, headers, timeout: defaultTimeoutMs });
    const done = (status: number, responseHeaders: IncomingHttpHeaders, body: string): void => {
      socket.destroy();
      resolve({ outcome: 'response', status, headers: responseHeaders, body, tls });
    };
    req.once('upgrade', (response) => done(response.statusCode ?? 0, response.headers, ''));
    req.once('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.once('end', () => done(response.statusCode ?? 0, response.headers, body));
    });
    req.once('timeout', () => req.destroy(new ProbeError('timeout', `no HTTP response within ${defaultTimeoutMs} ms`)));
    req.once('error', reject);
    req.end(spec.body);
  });
}

/** Keeps a TLS XMPP stream open; writes each stdin line to it and reports every event as a JSON line. */
async function hold(spec: Extract<ProbeSpec, { kind: 'hold' }>): Promise<void> {
  const report = (event: Record<string, unknown>): void => void process.stdout.write(JSON.stringify(event) + '\n');
  const { tls } = await startTls(await connectTcp(spec.target), spec.domain, spec.caFile, ['xmpp-client']);
  tls.on('data', (chunk: Buffer) => report({ event: 'data', text: chunk.toString('utf8') }));
  tls.on('close', () => {
    report({ event: 'close' });
    process.exit(0);
  });
  tls.on('error', (error: NodeJS.ErrnoException) => report({ event: 'error', code: error.code }));
  tls.write(streamHeader(spec.domain));
  const lines = createInterface({ input: process.stdin });
  lines.on('line', (line) => tls.write(line));
  lines.on('close', () => tls.destroy());
}

async function probe(spec: ProbeSpec): Promise<unknown> {
  switch (spec.kind) {
    case 'tcp': {
      const socket = await openRoute(spec.target, spec.route, spec.timeoutMs);
      socket.destroy();
      return { outcome: 'connected' };
    }
    case 'xmpp-starttls':
      return xmppStarttls(spec);
    case 'xmpp-direct-tls':
      return xmppDirectTls(spec);
    case 'http':
      return httpProbe(spec);
    case 'hold':
      return hold(spec);
    case 'srv':
      return { outcome: 'records', records: await resolveSrv(spec.name) };
  }
}

const spec = JSON.parse(process.argv[2] ?? '{}') as ProbeSpec;
const started = Date.now();
try {
  const result = await probe(spec);
  if (spec.kind !== 'hold') process.stdout.write(JSON.stringify({ ...(result as object), ms: Date.now() - started }) + '\n');
} catch (error) {
  const failure = error instanceof ProbeError ? { outcome: error.outcome, ...error.details } : { outcome: 'error' };
  process.stdout.write(JSON.stringify({ ...failure, message: (error as Error).message, ms: Date.now() - started }) + '\n');
}
if (spec.kind !== 'hold') process.exit(0);
