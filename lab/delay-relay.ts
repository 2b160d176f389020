import { createConnection, createServer, type Server, type Socket } from 'node:net';

export interface RelaySpec {
  listen: { host: string; port: number };
  target: { host: string; port: number };
}

/**
 * Forwards TCP from `listen` to `target`, holding every chunk (and the end of each direction)
 * for `delayMs` before passing it on: a stand-in for `tc netem`. Equal delays keep the order,
 * since Node fires timers of the same duration first in, first out.
 */
export function startDelayRelay(spec: RelaySpec, delayMs: number): Promise<Server> {
  // Half-open sockets, so that one side's end travels (delayed) like everything else and the
  // other direction keeps flowing until it ends too. No Nagle: it would hold back a small write
  // for the peer's (delayed) ACK, adding latency the relay does not mean to add.
  const server = createServer({ pauseOnConnect: true, allowHalfOpen: true, noDelay: true }, (client) => {
    const upstream = createConnection({ ...spec.target, allowHalfOpen: true, noDelay: true });
    forward(client, upstream, delayMs);
    forward(upstream, client, delayMs);
    client.resume();
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(spec.listen.port, spec.listen.host, () => resolve(server));
  });
}

/** Bytes a relay holds for one direction before it stops reading from the sender. */
const highWaterBytes = 1024 * 1024;

function forward(from: Socket, to: Socket, delayMs: number): void {
  let heldBytes = 0;
  const later = (action: () => void): void => {
    setTimeout(action, delayMs);
  };
  from.on('data', (chunk: Buffer) => {
    heldBytes += chunk.length;
    if (heldBytes > highWaterBytes) from.pause();
    later(() => {
      heldBytes -= chunk.length;
      if (to.writable && !to.write(chunk)) from.pause();
      else if (heldBytes <= highWaterBytes) from.resume();
    });
  });
  to.on('drain', () => heldBytes <= highWaterBytes && from.resume());
  from.on('end', () => later(() => to.end()));
  from.on('error', () => later(() => to.destroy()));
}
