/**
 * Who may use browser mode. Any local program can reach a loopback port and set `Origin` as it
 * likes, so the host admits only a client that holds this launch's secret: first in the address
 * it prints (as notebook servers do), then in a same-site, HTTP-only cookie. `Host` is checked
 * too, so a web page that rebinds its own name to 127.0.0.1 is refused.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';

/** The query parameter of the printed address that carries the secret. */
export const SECRET_PARAM = 'secret';

export type Verdict =
  | { kind: 'admitted'; url: URL }
  /** The secret came in the address: trade it for a cookie, and show the address without it. */
  | { kind: 'admitted-by-address'; url: URL; setCookie: string; cleanPath: string }
  | { kind: 'refused'; status: 400 | 403; reason: string };

export interface AccessGate {
  /** The host's own origin, as printed. */
  readonly origin: string;
  /** The address to open: the host's own, carrying the secret. */
  readonly entryUrl: string;
  judge(request: IncomingMessage): Verdict;
  /** Whether a WebSocket comes from one of the host's own pages (browsers always send Origin). */
  isOwnOrigin(request: IncomingMessage): boolean;
}

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function createAccessGate(hostname: string, port: number): AccessGate {
  const secret = randomBytes(32).toString('base64url');
  // Cookies ignore ports: two hosts on one machine need cookies of their own.
  const cookieName = `burrow-secret-${port}`;
  const urlHostname = hostname.includes(':') ? `[${hostname}]` : hostname;
  const names = LOOPBACK_NAMES.includes(urlHostname) ? LOOPBACK_NAMES : [urlHostname];
  const hosts = new Set(names.map((name) => `${name}:${port}`));
  const origins = new Set([...hosts].map((host) => `http://${host}`));
  const origin = `http://${urlHostname}:${port}`;
  const holdsSecret = (candidate: string | undefined) =>
    candidate !== undefined && candidate.length === secret.length && timingSafeEqual(Buffer.from(candidate), Buffer.from(secret));

  return {
    origin,
    entryUrl: `${origin}/?${SECRET_PARAM}=${secret}`,
    isOwnOrigin: (request) => origins.has(request.headers.origin ?? ''),
    judge(request) {
      const host = request.headers.host ?? '';
      if (!hosts.has(host)) return { kind: 'refused', status: 403, reason: `Burrow answers only to ${[...hosts].join(', ')}, not to "${host}".` };
      const url = URL.parse(request.url ?? '/', `http://${host}`);
      if (!url) return { kind: 'refused', status: 400, reason: 'That address cannot be read.' };
      if (holdsSecret(parseCookies(request.headers.cookie ?? '')[cookieName])) return { kind: 'admitted', url };
      if (holdsSecret(url.searchParams.get(SECRET_PARAM) ?? undefined)) {
        const clean = new URL(url);
        clean.searchParams.delete(SECRET_PARAM);
        const setCookie = serializeCookie(cookieName, secret, { httpOnly: true, sameSite: 'strict', path: '/' });
        return { kind: 'admitted-by-address', url, setCookie, cleanPath: `${clean.pathname}${clean.search}` };
      }
      return {
        kind: 'refused',
        status: 403,
        reason: 'This is Burrow in browser mode. Open it at the address `npm run start:browser` printed: that address carries this run\'s secret.',
      };
    },
  };
}
