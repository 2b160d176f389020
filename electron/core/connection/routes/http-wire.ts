/**
 * Reading an HTTP proxy's answers to CONNECT off the raw socket: the head of each, and the body of a 407 that
 * must be read past before the same connection can carry the next leg of a login. Bytes after what
 * was read are put back, and the socket is left unpaused but not flowing ('readable', not 'data'),
 * so whoever takes it next loses nothing.
 */
import type net from 'node:net';

import { NoAnswerError, ProxyError } from '../errors.js';
import type { OpenOptions } from './direct.js';

export interface ResponseHead {
  status: number;
  reason: string;
  http10: boolean;
  /** Lower-case names; a header sent several times keeps every value. */
  headers: Map<string, string[]>;
}

interface Exchange extends OpenOptions {
  proxyName: string;
  targetName: string;
}

const MAX_RESPONSE_HEAD_BYTES = 16 * 1024;
/** A proxy's login page is a few KiB; past this, the connection is given up rather than read. */
const MAX_DRAINED_BODY_BYTES = 256 * 1024;

export function readResponseHead(socket: net.Socket, exchange: Exchange): Promise<ResponseHead> {
  const protocolError = (detail: string) => new ProxyError('protocol', exchange.proxyName, exchange.targetName, detail);
  return readFromSocket(socket, exchange, 'it closed the connection without answering CONNECT', (received) => {
    const end = received.indexOf('\r\n\r\n');
    if (end === -1) return received.length > MAX_RESPONSE_HEAD_BYTES ? protocolError('its answer to CONNECT is too long') : undefined;
    const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
    const match = /^HTTP\/1\.([01]) (\d{3}) ?(.*)$/.exec(statusLine);
    if (!match) return protocolError(`it answered CONNECT with "${statusLine.slice(0, 80)}"`);
    const headers = new Map<string, string[]>();
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
    }
    return { value: { status: Number(match[2]), reason: match[3] ?? '', http10: match[1] === '0', headers }, used: end + 4 };
  });
}

/**
 * Reads past the body of an answer that is not the tunnel (Content-Length or chunked); resolves
 * whether the connection can carry the next request.
 */
export async function drainBody(socket: net.Socket, head: ResponseHead, exchange: Exchange): Promise<boolean> {
  const connection = [...(head.headers.get('connection') ?? []), ...(head.headers.get('proxy-connection') ?? [])].join(',').toLowerCase();
  const keepAlive = connection.includes('close') ? false : head.http10 ? connection.includes('keep-alive') : true;
  const chunked = (head.headers.get('transfer-encoding') ?? []).join(',').toLowerCase().includes('chunked');
  // Neither a length nor chunks: the body runs until the proxy closes (RFC 9112 §6.3).
  const length = Number(head.headers.get('content-length')?.[0] ?? NaN);
  if (!keepAlive || socket.destroyed) return false;
  if (!chunked && (!Number.isSafeInteger(length) || length > MAX_DRAINED_BODY_BYTES)) return false;
  if (!chunked && length === 0) return true;
  try {
    await readFromSocket(socket, exchange, 'it closed the connection', (received) => {
      if (received.length > MAX_DRAINED_BODY_BYTES + 1024) return new Error('too long');
      const used = chunked ? chunkedLength(received) : received.length >= length ? length : undefined;
      return used === undefined ? undefined : { value: undefined, used };
    });
    return true;
  } catch (error) {
    if (exchange.signal.aborted) throw error;
    return false;
  }
}

/** The length of a whole chunked body at the start of `received`, trailers included; undefined while incomplete. */
function chunkedLength(received: Buffer): number | undefined {
  for (let at = 0; ; ) {
    const lineEnd = received.indexOf('\r\n', at);
    if (lineEnd === -1) return undefined;
    const size = Number.parseInt(received.subarray(at, lineEnd).toString('latin1').split(';')[0] ?? '', 16);
    if (Number.isNaN(size)) throw new Error('not chunked');
    at = lineEnd + 2;
    if (size === 0) {
      for (let end = received.indexOf('\r\n', at); end !== -1; end = received.indexOf('\r\n', at)) {
        if (end === at) return end + 2;
        at = end + 2;
      }
      return undefined;
    }
    if (received.length < at + size + 2) return undefined;
    at += size + 2;
  }
}

/**
 * Reads until `take` has what it wants ({ value, used }), fails (an Error), or the socket closes,
 * the time runs out or the signal aborts; on failure the socket is destroyed.
 */
function readFromSocket<T>(
  socket: net.Socket,
  { proxyName, targetName, signal, timeoutMs }: Exchange,
  closedDetail: string,
  take: (received: Buffer) => { value: T; used: number } | Error | undefined,
): Promise<T> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new NoAnswerError(proxyName, timeoutMs)), timeoutMs);
    const onAbort = () => fail(signal.reason);
    const onClose = () => fail(new ProxyError('protocol', proxyName, targetName, closedDetail));
    const onReadable = () => {
      for (let chunk: Buffer | null = socket.read(); chunk !== null; chunk = socket.read()) received = Buffer.concat([received, chunk]);
      let taken: ReturnType<typeof take>;
      try {
        taken = take(received);
      } catch (error) {
        taken = error as Error;
      }
      if (taken === undefined) return;
      if (taken instanceof Error) return fail(taken);
      cleanUp();
      const rest = received.subarray(taken.used);
      if (rest.length > 0) socket.unshift(rest);
      resolve(taken.value);
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
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('readable', onReadable);
    socket.once('close', onClose);
    socket.once('error', fail);
    onReadable();
  });
}
