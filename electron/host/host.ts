/**
 * Browser mode: the contract served over a WebSocket by plain Node, against the real core,
 * so the React UI runs in any browser (and Playwright can drive it) without Electron.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CoreRequestChannel, LifecycleRequestChannel } from '../contract/contract.js';
import { dispatch, describeIssues, type Handlers } from '../contract/validate.js';
import type { Core, EventHub } from '../core/index.js';
import { PacedEvents } from '../core/paced-events.js';
import { ClientMessage, IPC_PATH, type ServerMessage } from '../contract/wire.js';
import { createAccessGate, type AccessGate } from './access-gate.js';
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
  /** The host's own address, without the secret. */
  readonly url: string;
  /** The address to open in a browser: it carries this launch's secret. */
  readonly entryUrl: string;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Bytes waiting to go out to a page, at most, before its events are held and merged: the page, or the link to it, cannot keep up. */
const EVENT_HIGH_WATER_BYTES = 1024 * 1024;

export async function startHost(options: HostOptions): Promise<Host> {
  const { core } = options;
  const hostname = options.hostname ?? '127.0.0.1';
  const handlers: Handlers<CoreRequestChannel | LifecycleRequestChannel> = {
    ...core.handlers,
    'app:quit': () => void setImmediate(options.onQuit),
  };
  const server = createServer();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, hostname, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const gate = createAccessGate(hostname, port);

  server.on('request', servePages(gate, createStaticHandler(options.rendererDir)));
  server.on('upgrade', (request, socket, head) => {
    // Node leaves an upgrading socket without an error listener; a reset must not end the host.
    socket.on('error', () => socket.destroy());
    const verdict = gate.judge(request);
    // Only this launch's own pages may use the contract: not other local programs (no secret),
    // not a web page the user happens to open (another origin).
    if (verdict.kind === 'refused' || verdict.url.pathname !== IPC_PATH || !gate.isOwnOrigin(request)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serveContract(ws, handlers, core.events));
  });

  return {
    url: `${gate.origin}/`,
    entryUrl: gate.entryUrl,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function servePages(gate: AccessGate, serveFile: ReturnType<typeof createStaticHandler>) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const verdict = gate.judge(request);
    if (verdict.kind === 'refused') {
      response.writeHead(verdict.status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(verdict.reason);
    } else if (verdict.kind === 'admitted-by-address') {
      response.writeHead(303, { Location: verdict.cleanPath, 'Set-Cookie': verdict.setCookie, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).end();
    } else {
      void serveFile(request, response, verdict.url.pathname);
    }
  };
}

function serveContract(ws: WebSocket, handlers: Handlers<CoreRequestChannel | LifecycleRequestChannel>, events: EventHub): void {
  const send = (message: ServerMessage, written?: () => void) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message), written);
  };
  const paced = new PacedEvents({
    // Each event written out may have made room for what is held.
    deliver: (channel, payload) => send({ type: 'event', channel, payload }, () => paced.drain()),
    busy: () => ws.bufferedAmount > EVENT_HIGH_WATER_BYTES,
  });
  const unsubscribe = events.subscribe((channel, payload) => paced.send(channel, payload));
  ws.on('close', unsubscribe);
  // A frame too big or not UTF-8: ws has already closed this socket with the fitting code
  // (1009, 1007). Only this client is gone; the host goes on serving.
  ws.on('error', () => ws.terminate());
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
