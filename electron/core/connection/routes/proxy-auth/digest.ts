/**
 * Digest (RFC 7616): proves the password without sending it. MD5, SHA-256 and SHA-512-256, each
 * also as "-sess"; qop "auth" (and RFC 2069's no qop). "auth-int" alone is not supported: it would
 * hash the body of a CONNECT that has none, and no proxy is known to require it.
 */
import { createHash, randomBytes } from 'node:crypto';

import type { Challenge } from './challenge.js';

const hashes: Record<string, string> = { md5: 'md5', 'sha-256': 'sha256', 'sha-512-256': 'sha512-256' };

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  /** As the proxy wrote it: "MD5", "SHA-256-sess". */
  algorithm: string;
  qop?: 'auth';
  /** The nonce had expired, not the password: answer again with the new one. */
  stale: boolean;
}

/** The challenge, when Burrow can answer it. */
export function digestChallenge({ scheme, params }: Challenge): DigestChallenge | undefined {
  if (scheme !== 'digest' || params.nonce === undefined) return undefined;
  const algorithm = params.algorithm ?? 'MD5';
  if (!hashes[algorithm.toLowerCase().replace(/-sess$/, '')]) return undefined;
  const qops = params.qop?.split(',').map((qop) => qop.trim().toLowerCase());
  if (qops && !qops.includes('auth')) return undefined;
  return {
    realm: params.realm ?? '',
    nonce: params.nonce,
    ...(params.opaque === undefined ? {} : { opaque: params.opaque }),
    algorithm,
    ...(qops ? { qop: 'auth' as const } : {}),
    stale: params.stale?.toLowerCase() === 'true',
  };
}

export interface DigestRequest {
  method: string;
  /** The request target: "host:port" for CONNECT, the absolute URI through a forward proxy. */
  uri: string;
  /** How many times this nonce has been answered, this time included. */
  nonceCount: number;
  cnonce?: string;
}

export function digestAuthorization(challenge: DigestChallenge, username: string, password: string, request: DigestRequest): string {
  const algorithm = challenge.algorithm.toLowerCase();
  const hashName = hashes[algorithm.replace(/-sess$/, '')] ?? 'md5';
  const hash = (text: string) => createHash(hashName).update(text, 'utf8').digest('hex');
  const cnonce = request.cnonce ?? randomBytes(16).toString('base64');
  const nc = request.nonceCount.toString(16).padStart(8, '0');
  const secret = hash(`${username}:${challenge.realm}:${password}`);
  const ha1 = algorithm.endsWith('-sess') ? hash(`${secret}:${challenge.nonce}:${cnonce}`) : secret;
  const ha2 = hash(`${request.method}:${request.uri}`);
  const response = challenge.qop
    ? hash(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:${challenge.qop}:${ha2}`)
    : hash(`${ha1}:${challenge.nonce}:${ha2}`);
  const fields = [
    `username=${quoted(username)}`,
    `realm=${quoted(challenge.realm)}`,
    `uri=${quoted(request.uri)}`,
    `algorithm=${challenge.algorithm}`,
    `nonce=${quoted(challenge.nonce)}`,
    ...(challenge.qop ? [`nc=${nc}`, `cnonce=${quoted(cnonce)}`, `qop=${challenge.qop}`] : []),
    `response=${quoted(response)}`,
    ...(challenge.opaque === undefined ? [] : [`opaque=${quoted(challenge.opaque)}`]),
  ];
  return `Digest ${fields.join(', ')}`;
}

function quoted(value: string): string {
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}
