/**
 * A connection attempt in words: the one place they are made, for the status banner, Test
 * connection and `diagnose`. Core sends facts (attempt-path.ts, AttemptCause); nothing parses these words back.
 */
import type { AttemptPath, PathEndpoint, PathRoute, Transport } from './attempt-path.js';
import type { AttemptCause, ProxyLogin } from './attempt-view.js';
import { certificateFailureWords } from './certificate-words.js';

/** "chat.example.com:5222", "[2001:db8::1]:5223" */
export function formatHostPort(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** "xmpps://chat.example.com:5223", "wss://chat.example.com:443/xmpp-websocket" */
export function endpointUrl({ transport, host, port, path, secure }: PathEndpoint & { transport: Transport }): string {
  const hostPort = formatHostPort(host, port);
  switch (transport) {
    case 'starttls':
      return `xmpp://${hostPort}`;
    case 'directtls':
      return `xmpps://${hostPort}`;
    case 'websocket':
      return `${secure ? 'wss' : 'ws'}://${hostPort}${path ?? ''}`;
    case 'bosh':
      return `${secure ? 'https' : 'http'}://${hostPort}${path ?? ''}`;
  }
}

/** "direct", "system proxy", "HTTP proxy proxy.example.com:3128" */
export function routeLine(route: PathRoute): string {
  switch (route.kind) {
    case 'direct':
      return 'direct';
    case 'system':
      return route.systemNetworkStack ? "system proxy on the system's network stack" : 'system proxy';
    case 'proxy':
      return `${route.proxyType.toUpperCase()} proxy ${formatHostPort(route.host, route.port)}`;
  }
}

const transportNames: Record<Transport, string> = {
  starttls: 'TCP+STARTTLS',
  directtls: 'direct TLS',
  websocket: 'WebSocket',
  bosh: 'BOSH',
};

/** Where the path reaches the server: "wss://chat.example.com:443/xmpp-websocket". */
export function pathUrl({ transport, endpoint }: Pick<AttemptPath, 'transport' | 'endpoint'>): string {
  return endpointUrl({ transport, ...endpoint });
}

/** The path in full, for a help desk and the logs: "BOSH https://chat.example.com:443/http-bind via HTTP proxy proxy.example.com:3128". */
export function pathLine({ transport, endpoint, route }: AttemptPath): string {
  return `${transportNames[transport]} ${pathUrl({ transport, endpoint })} via ${routeLine(route)}`;
}

function transportWords({ transport, endpoint }: AttemptPath): string {
  switch (transport) {
    case 'starttls':
      return 'TCP with STARTTLS';
    case 'directtls':
      return 'Direct TLS';
    case 'websocket':
      return endpoint.secure ? 'WebSocket over HTTPS' : 'WebSocket over plain HTTP';
    case 'bosh':
      return endpoint.secure ? 'BOSH over HTTPS' : 'BOSH over plain HTTP';
  }
}

function viaWords(route: PathRoute): string | null {
  switch (route.kind) {
    case 'direct':
      return null;
    case 'system':
      return route.systemNetworkStack ? "the system proxy, on the system's network stack" : 'the system proxy';
    case 'proxy':
      return routeLine(route);
  }
}

/** The path at a glance: "WebSocket over HTTPS via HTTP proxy proxy.example.com:3128", "Direct TLS, no proxy". */
export function pathWords(path: AttemptPath): string {
  const via = viaWords(path.route);
  return via === null ? `${transportWords(path)}, no proxy` : `${transportWords(path)} via ${via}`;
}

/** "a stanza over 256 KiB": what a server sent beyond Burrow's limits. */
export function tooLargeWords({ what, limitBytes }: Pick<Extract<AttemptCause, { kind: 'too-large' }>, 'what' | 'limitBytes'>): string {
  const mebibytes = limitBytes / 2 ** 20;
  const size = Number.isInteger(mebibytes) ? `${mebibytes} MiB` : `${Math.round(limitBytes / 1024)} KiB`;
  return `${what === 'stanza' ? 'a stanza' : 'an answer of its BOSH service'} over ${size}`;
}

const schemeNames: Record<string, string> = { basic: 'Basic', digest: 'Digest', ntlm: 'NTLM', negotiate: 'Negotiate' };

/**
 * What an HTTP proxy's login came to, for the attempts timeline, the diagnose CLI and the banner:
 * "proxy authentication failed at proxy.corp:3128 (407): the proxy's login failed (NTLM); check the
 * Windows user name (DOMAIN\user) and password".
 */
export function proxyLoginWords(proxy: string, { status, offered, tried, credentials }: ProxyLogin): string {
  const schemes = offered.map((scheme) => schemeNames[scheme] ?? scheme).join(', ') || 'no way to log in';
  if (credentials === 'withheld') return `${proxy} asks for a login (${status}); Burrow sends the proxy login only along the paths it may use`;
  if (credentials === 'not-configured') return `${proxy} asks for a login (${status}, ${schemes}); enter the proxy user name and password`;
  if (tried) {
    const check = tried === 'ntlm' ? 'the Windows user name (DOMAIN\\user) and password' : 'the proxy user name and password';
    return `proxy authentication failed at ${proxy} (${status}): the proxy's login failed (${schemeNames[tried]}); check ${check}`;
  }
  if (offered.includes('negotiate')) {
    return `${proxy} wants Negotiate (Kerberos) sign-in (${status}), which Burrow cannot do; ask IT to allow NTLM or Basic sign-in for Burrow`;
  }
  return `${proxy} asks for a login Burrow cannot do (${status}, ${schemes})`;
}

const boshConditions: Record<string, string> = {
  'item-not-found': 'the BOSH session expired at the server (item-not-found)',
  'remote-connection-failed': 'the BOSH service could not reach the XMPP server behind it (remote-connection-failed)',
  'system-shutdown': 'the server is shutting down (system-shutdown)',
  'policy-violation': 'the BOSH service refused the session by policy (policy-violation)',
};

function serverEndedWords({ domain, condition, url }: Extract<AttemptCause, { kind: 'server-ended' }>): string {
  if (condition === 'host-unknown') return `the server does not serve the domain ${domain} (host-unknown)`;
  if (url === undefined) return `the server closed the XMPP stream (${condition})`;
  return boshConditions[condition] ?? `${url} ended the BOSH session (${condition})`;
}

function httpStatusWords({ url, status, statusText, proxy }: Extract<AttemptCause, { kind: 'http-status' }>): string {
  const reason = statusText ? ` ${statusText}` : '';
  const hint = status === 404 ? '; no BOSH service at that address' : status >= 500 && proxy ? `; the proxy ${proxy} could not reach the server` : '';
  return `${url} answered HTTP ${status}${reason}${hint}`;
}

function tlsWords({ target, problem, serverName, detail }: Extract<AttemptCause, { kind: 'tls' }>): string {
  switch (problem) {
    case 'unrecognized-name':
      return `${target} does not serve the name ${serverName} over TLS (unrecognized name)`;
    case 'not-tls':
      return `${target} did not answer with TLS; something other than a TLS server is there`;
    case 'handshake':
      return `the TLS handshake with ${target} failed (${detail})`;
  }
}

function noAnswerWords({ target, withinMs, step, nextPathTried }: Extract<AttemptCause, { kind: 'no-answer' }>): string {
  if (step) return `no answer from ${target} in time: a step of the XMPP stream timed out`;
  if (withinMs === undefined) return `no answer from ${target} (the connection timed out)`;
  return `no answer from ${target} within ${withinMs} ms${nextPathTried ? '; tried the next path' : ''}`;
}

const cancelledWords: Record<Exclude<Extract<AttemptCause, { kind: 'cancelled' }>['reason'], 'aborted'>, string> = {
  'another-path-won': 'cancelled: another path won',
  'race-ended': 'cancelled: the race ended without a connection',
  'certificate-failed': "not tried: the server's certificate failed verification, and an unencrypted path would not be safer",
};

/** What Burrow assumed of a bare host:port, and the address that says otherwise. */
function assumedWords({ because, target }: NonNullable<Extract<AttemptCause, { kind: 'reset' }>['assumed']>): string {
  const port = target.slice(target.lastIndexOf(':') + 1);
  switch (because) {
    case 'direct-tls-port':
      return `Burrow assumed direct TLS because ${port} is the direct-TLS port (XEP-0368) — give xmpp://${target} to use STARTTLS`;
    case 'https-port':
      return `Burrow assumed direct TLS because ${port} is the HTTPS port — give xmpp://${target} to use STARTTLS, or an https:// or wss:// address for BOSH or WebSocket`;
    case 'any-other-port':
      return `Burrow assumed TCP with STARTTLS, as for any port but 5223 and 443 — give xmpps://${target} to use direct TLS`;
  }
}

/** Why an attempt failed, in words a help desk can act on: which machine did what, and where it matters, what to do about it. */
export function attemptCauseWords(cause: AttemptCause): string {
  const words = failureWords(cause);
  return 'assumed' in cause && cause.assumed ? `${words}; ${assumedWords(cause.assumed)}` : words;
}

function failureWords(cause: AttemptCause): string {
  switch (cause.kind) {
    case 'refused':
      return `connection to ${cause.target} was refused`;
    case 'no-answer':
      return noAnswerWords(cause);
    case 'unreachable':
      return `${cause.target} cannot be reached from this network (no route)`;
    case 'name-not-found':
      return cause.temporary ? `looking up ${cause.host} in DNS failed for now (no DNS server answered)` : `the name ${cause.host} was not found in DNS`;
    case 'reset':
      // Where Burrow guessed the transport, the guess is the likelier culprit.
      return `the connection to ${cause.target} was cut (reset) before XMPP started${cause.assumed ? '' : '; a firewall or proxy may be interfering'}`;
    case 'proxy-refused':
      return `${cause.proxy} refused CONNECT to port ${cause.port} (${cause.status ?? cause.detail})`;
    case 'proxy-authentication':
      if (cause.proxyLogin) return proxyLoginWords(cause.proxy, cause.proxyLogin);
      return `proxy authentication failed at ${cause.proxy} (${cause.status ?? cause.detail}); check the proxy user name and password`;
    case 'proxy-failure':
      if (cause.problem === 'unreachable') return `the proxy ${cause.proxy} could not be reached (${cause.detail})`;
      return `${cause.proxy} failed to connect to ${cause.target}: ${cause.detail}${cause.status === undefined ? '' : ` (${cause.status})`}`;
    case 'certificate':
      return cause.certificate ? certificateFailureWords(cause.certificate) : `the certificate of ${cause.expectedName} failed verification (${cause.code})`;
    case 'tls':
      return tlsWords(cause);
    case 'http-status':
      return httpStatusWords(cause);
    case 'websocket-refused':
      // A 404 is the server's own answer for a path it does not serve: no proxy needed to explain it.
      if (cause.status === 404) return `${cause.url ?? cause.target} answered HTTP 404 to the WebSocket upgrade; no WebSocket service at that address`;
      return `${cause.target} refused the WebSocket upgrade (HTTP ${cause.status}); a transparent proxy may be in the way`;
    case 'not-xmpp':
      return `${cause.url} answered, but not as a BOSH service (a captive portal or a proxy's page?): ${cause.detail}`;
    case 'server-ended':
      return serverEndedWords(cause);
    case 'too-large':
      return `${cause.target} sent ${tooLargeWords(cause)}, more than Burrow accepts; Burrow closed the stream`;
    case 'malformed-xml':
      return `${cause.target} sent XML that is not well-formed (${cause.detail}); Burrow closed the stream`;
    case 'unencrypted':
      return `${pathLine(cause.path)} carried XMPP only without encryption, which is not allowed`;
    case 'cancelled':
      return cause.reason === 'aborted' ? `the attempt on ${cause.target} was cancelled` : cancelledWords[cause.reason];
    case 'other':
      return `${cause.target} failed: ${cause.message}`;
  }
}
