import net from 'node:net';

import { formatHostPort } from '../../../contract/attempt-words.js';
import { NoAnswerError } from '../errors.js';

export interface OpenOptions {
  signal: AbortSignal;
  /** How long the TCP handshake may take. */
  timeoutMs: number;
}

/** A TCP connection straight to `host:port`: the direct route, and the first leg of every proxy route. */
export function openTcpSocket(host: string, port: number, { signal, timeoutMs }: OpenOptions): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    signal.throwIfAborted();
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => fail(new NoAnswerError(formatHostPort(host, port), timeoutMs)), timeoutMs);
    const onAbort = () => fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    function settle() {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.off('error', fail);
    }
    function fail(error: unknown) {
      settle();
      socket.destroy();
      reject(error);
    }
    socket.once('error', fail);
    socket.once('connect', () => {
      settle();
      resolve(socket);
    });
  });
}
