/** TCP servers on 127.0.0.1 for route tests, closed with every connection they accepted. */
import type net from 'node:net';
import type { AddressInfo } from 'node:net';

const connections = new WeakMap<net.Server, Set<net.Socket>>();

export async function listenLocally(server: net.Server): Promise<number> {
  const open = new Set<net.Socket>();
  connections.set(server, open);
  server.on('connection', (socket: net.Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

export async function closeServer(server: net.Server): Promise<void> {
  for (const socket of connections.get(server) ?? []) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
}

export function firstData(socket: net.Socket): Promise<string> {
  return new Promise((resolve) => socket.once('data', (chunk: Buffer) => resolve(chunk.toString())));
}
