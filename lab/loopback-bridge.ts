/**
 * A loopback port in one network namespace that leads to a loopback port in another. A Unix
 * socket is a file, and files cross namespaces: one end listens on 127.0.0.1 here and carries
 * each connection to the socket; the other (loopback-bridge-agent.ts, run inside the namespace)
 * listens on the socket and carries each connection on to the port there.
 */
import { connect, createServer, type ListenOptions, type NetConnectOpts, type Server, type Socket } from 'node:net';

/** Listens as told and carries each connection, both ways, to what `target` names. */
export async function forwardConnections(listen: ListenOptions, target: NetConnectOpts): Promise<Server> {
  const server = createServer((incoming) => joinSockets(incoming, connect(target)));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen, () => resolve());
  });
  return server;
}

/** Each side's bytes go to the other, ends included; an error on either side drops both. */
function joinSockets(a: Socket, b: Socket): void {
  const drop = (): void => {
    a.destroy();
    b.destroy();
  };
  a.once('error', drop);
  b.once('error', drop);
  a.pipe(b);
  b.pipe(a);
}
