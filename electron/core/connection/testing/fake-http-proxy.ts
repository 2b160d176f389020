/**
 * An HTTP proxy on 127.0.0.1 for route and race tests: CONNECT to the ports it allows, and a login
 * in the schemes it offers (Basic, Digest, NTLMv2, or Negotiate it never accepts), checked against
 * one user, over keep-alive connections. It records every request and the connection it came on.
 */
import { createHmac } from 'node:crypto';
import net from 'node:net';

import { parseChallenges } from '../routes/proxy-auth/challenge.js';
import { digestAuthorization, digestChallenge } from '../routes/proxy-auth/digest.js';
import { ntowfV2 } from '../routes/proxy-auth/ntlm.js';
import { listenLocally } from './tcp-servers.js';

export interface FakeHttpProxyOptions {
  /** The `Proxy-Authenticate` (or `WWW-Authenticate`) values it answers with; none: no login asked. */
  offers?: string[];
  /** Who may pass. */
  user?: { username: string; password: string };
  /** 401 with WWW-Authenticate instead of 407, as some proxies answer CONNECT. */
  asks?: 401 | 407;
  /** Closes the connection after each refusal (HTTP/1.0 style) instead of keeping it. */
  closeAfterRefusal?: boolean;
  /** The ports CONNECT may reach; others get 403. */
  allowedPorts?: number[];
}

export interface ProxiedRequest {
  connection: number;
  /** The request line and headers. */
  head: string;
  requestLine: string;
  /** The Authorization or Proxy-Authorization value. */
  authorization?: string;
}

export interface FakeHttpProxy {
  server: net.Server;
  port: number;
  requests: ProxiedRequest[];
  /** Requests that carried the user's credentials in some form: NTLM's first leg (no names) is not one. */
  logins(): ProxiedRequest[];
}

const serverChallenge = Buffer.from('0123456789abcdef', 'hex');
const digestNonce = 'dcd98b7102dd2f0e8b11d0f600bfb0c093';

export async function startFakeHttpProxy(options: FakeHttpProxyOptions): Promise<FakeHttpProxy> {
  const requests: ProxiedRequest[] = [];
  let connections = 0;
  const server = net.createServer((client) => {
    const connection = connections++;
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (let end = buffered.indexOf('\r\n\r\n'); end !== -1; end = buffered.indexOf('\r\n\r\n')) {
        const head = buffered.subarray(0, end).toString('latin1');
        const bodyLength = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + bodyLength) return;
        buffered = buffered.subarray(end + 4 + bodyLength);
        const [requestLine = ''] = head.split('\r\n');
        const authorization = /\r\n(?:proxy-)?authorization: *([^\r\n]*)/i.exec(head)?.[1];
        requests.push({ connection, head, requestLine, ...(authorization === undefined ? {} : { authorization }) });
        if (!answer(client, requestLine, authorization)) return;
      }
    };
    client.on('data', onData);
    client.on('error', () => {});
  });

  /** Writes the answer; false once the connection is handed to the tunnel or closed. */
  function answer(client: net.Socket, requestLine: string, authorization: string | undefined): boolean {
    const [method = '', target = ''] = requestLine.split(' ');
    const offers = options.offers ?? [];
    const verdict = offers.length === 0 ? 'pass' : check(authorization, method, target);
    if (verdict !== 'pass') {
      const asks = options.asks ?? 407;
      const challenges = verdict === 'refuse' ? offers : [verdict];
      const body = 'Sign in first';
      const close = options.closeAfterRefusal && verdict === 'refuse';
      client.write(
        [
          `HTTP/1.1 ${asks} ${asks === 407 ? 'Proxy Authentication Required' : 'Unauthorized'}`,
          ...challenges.map((challenge) => `${asks === 407 ? 'Proxy' : 'WWW'}-Authenticate: ${challenge}`),
          `Content-Length: ${body.length}`,
          ...(close ? ['Connection: close'] : []),
          '',
          body,
        ].join('\r\n'),
      );
      if (close) client.end();
      return !close;
    }
    if (method !== 'CONNECT') {
      client.write('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      return true;
    }
    const [host = '', port = ''] = [target.slice(0, target.lastIndexOf(':')), target.slice(target.lastIndexOf(':') + 1)];
    if (!(options.allowedPorts ?? []).includes(Number(port))) {
      client.write('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      return true;
    }
    client.removeAllListeners('data');
    const upstream = net.connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection established\r\n\r\n');
      client.pipe(upstream).pipe(client);
    });
    upstream.on('error', () => client.destroy());
    return false;
  }

  /** 'pass', 'refuse', or NTLM's CHALLENGE_MESSAGE to send. */
  function check(authorization: string | undefined, method: string, target: string): 'pass' | 'refuse' | string {
    const user = options.user;
    const [scheme = '', value = ''] = (authorization ?? '').split(/ (.*)/s);
    if (!user || !(options.offers ?? []).some((offer) => offer.toLowerCase().startsWith(scheme.toLowerCase()))) return 'refuse';
    switch (scheme.toLowerCase()) {
      case 'basic':
        return value === Buffer.from(`${user.username}:${user.password}`).toString('base64') ? 'pass' : 'refuse';
      case 'digest':
        return digestMatches(value, user, method, target) ? 'pass' : 'refuse';
      case 'ntlm': {
        const message = Buffer.from(value, 'base64');
        if (message.readUInt32LE(8) === 1) return `NTLM ${ntlmChallengeMessage().toString('base64')}`;
        return ntlmMatches(message, user) ? 'pass' : 'refuse';
      }
      default:
        return 'refuse';
    }
  }

  const port = await listenLocally(server);
  const logins = () => requests.filter(({ authorization }) => authorization && !isNtlmNegotiate(authorization));
  return { server, port, requests, logins };
}

/** The Digest challenge the fake offers: `Digest realm="lab", nonce=…, qop="auth"`. */
export function fakeDigestOffer(algorithm = 'MD5'): string {
  return `Digest realm="lab", qop="auth", algorithm=${algorithm}, nonce="${digestNonce}", opaque="5ccc069c403ebaf9f0171e9517f40e41"`;
}

function digestMatches(value: string, user: { username: string; password: string }, method: string, target: string): boolean {
  const params = parseChallenges([`Digest ${value}`])[0]?.params ?? {};
  const challenge = digestChallenge({ scheme: 'digest', params });
  if (!challenge || params.nonce !== digestNonce || params.uri !== target || params.username !== user.username) return false;
  const expected = digestAuthorization(challenge, user.username, user.password, {
    method,
    uri: target,
    nonceCount: Number.parseInt(params.nc ?? '1', 16),
    ...(params.cnonce ? { cnonce: params.cnonce } : {}),
  });
  return expected.includes(`response="${params.response}"`);
}

function ntlmChallengeMessage(): Buffer {
  const header = Buffer.alloc(48);
  header.write('NTLMSSP\0', 0, 'latin1');
  header.writeUInt32LE(2, 8);
  header.writeUInt32LE(0xa2898205, 20);
  serverChallenge.copy(header, 24);
  header.writeUInt32LE(48, 44);
  return header;
}

/** Checks NTProofStr the way a domain controller does, from the message's own user, domain and blob. */
function ntlmMatches(message: Buffer, user: { username: string; password: string }): boolean {
  const field = (index: number) => {
    const length = message.readUInt16LE(12 + index * 8);
    const offset = message.readUInt32LE(16 + index * 8);
    return message.subarray(offset, offset + length);
  };
  const response = field(1);
  const who = { domain: field(2).toString('utf16le'), user: field(3).toString('utf16le') };
  const expectedUser = user.username.includes('\\') ? user.username.split('\\')[1] : user.username;
  if (who.user !== expectedUser) return false;
  const key = ntowfV2(user.password, who);
  const proof = createHmac('md5', key).update(Buffer.concat([serverChallenge, response.subarray(16)])).digest();
  return proof.equals(response.subarray(0, 16));
}

function isNtlmNegotiate(authorization: string): boolean {
  const [scheme = '', value = ''] = authorization.split(' ');
  return scheme.toLowerCase() === 'ntlm' && Buffer.from(value, 'base64').readUInt32LE(8) === 1;
}
