/**
 * Browser mode: the contract served over a WebSocket by plain Node, against the real core,
 * so the React UI runs in any browser (and Playwright can drive it) without Electron.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CoreRequestChannel, LifecycleRequestChannel } from '../contract/contract.js';
import { dispatch, describeIssues, type Handlers } from '../contract/validate.js';
import type { Core, EventHub } from '../core/index.js';
import { ClientMessage, IPC_PATH, type ServerMessage } from '../contract/wire.js';
import { createStaticHandler } from './static-files.js';

export interface HostOptions {
  core: Core;
  rendererDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Browser mode serves the local user only; it binds to loopback unless told otherwise. */
  hostname?: string;
  /** File > Quit in browser mode stops the host, as quitting the app stops Electron. */
  onQuit: () => void;
}

export interface Host {
  readonly url: string;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;

export async function startHost(options: HostOptions): Promise<Host> {
  const { core } = options;
  const hostname = options.hostname ?? '127.0.0.1';
  const handlers: Handlers<CoreRequestChannel | LifecycleRequestChannel> = {
    ...core.handlers,
    'app:quit': () => void setImmediate(options.onQuit),
  };
  const server = createServer(createStaticHandler(options.rendererDir));
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, hostname, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${hostname.includes(':') ? `[${hostname}]` : hostname}:${port}`;

  // Only pages served by this host may use the contract: a web page from anywhere else
  // that the user happens to open must not reach their messenger.
  const isOwnPage = (request: IncomingMessage) => request.headers.origin === origin;

  server.on('upgrade', (request, socket, head) => {
    const { pathname } = new URL(request.url ?? '/', origin);
    if (pathname !== IPC_PATH || !isOwnPage(request)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveContract(ws, handlers, core.events));
  });

  return {
    url: `${origin}/`,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function serveContract(ws: WebSocket, handlers: Handlers<CoreRequestChannel | LifecycleRequestChannel>, events: EventHub): void {
  const send = (message: ServerMessage) => ws.send(JSON.stringify(message));
  const unsubscribe = events.subscribe((channel, payload) => send({ type: 'event', channel, payload }));
  ws.on('close', unsubscribe);
  ws.on('message', async (data, isBinary) => {
    const parsed = isBinary ? { error: 'binary frames are not part of the contract' } : parseClientMessage(data.toString());
    if ('error' in parsed) {
      const error = { code: 'invalid-payload' as const, message: `Malformed message: ${parsed.error}.` };
      send({ type: 'result', id: null, outcome: { ok: false, error } });
      return;
    }
    const { id, channel, payload } = parsed.message;
    send({ type: 'result', id, outcome: await dispatch(handlers, channel, payload) });
  });
}

function parseClientMessage(text: string): { message: ClientMessage } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { error: 'not JSON' };
  }
  const parsed = ClientMessage.safeParse(json);
  return parsed.success ? { message: parsed.data } : { error: describeIssues(parsed.error) };
}
