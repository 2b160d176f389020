/**
 * A Node client of browser mode's contract: the WebSocket a host serves its own pages, opened
 * with the secret of the address the host printed and as one of its pages (`Origin`). The demo
 * sets its instances up through it, with the requests Preferences makes.
 */
import { WebSocket } from 'ws';
import { unwrapOutcome, type BurrowApi, type Outcome } from '../electron/contract/contract.js';
import { IPC_PATH, ServerMessage, type ClientMessage } from '../electron/contract/wire.js';

export interface ContractClient {
  invoke: BurrowApi['invoke'];
  close(): void;
}

const requestTimeoutMs = 30_000;

export async function connectToHost(entryUrl: string): Promise<ContractClient> {
  const entry = new URL(entryUrl);
  const socketUrl = new URL(`${IPC_PATH}${entry.search}`, entry);
  socketUrl.protocol = 'ws:';
  const socket = new WebSocket(socketUrl, { origin: entry.origin, handshakeTimeout: requestTimeoutMs });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', (error) => reject(new Error(`could not reach Burrow at ${entry.origin}: ${error.message}`)));
  });

  const pending = new Map<number, (outcome: Outcome<unknown>) => void>();
  socket.on('message', (data) => {
    const parsed = ServerMessage.safeParse(parseJson(data.toString()));
    if (parsed.success && parsed.data.type === 'result' && parsed.data.id !== null) pending.get(parsed.data.id)?.(parsed.data.outcome);
  });
  socket.on('close', () => {
    for (const answer of pending.values()) answer({ ok: false, error: { code: 'failed', message: 'the host closed the connection' } });
  });

  let nextId = 0;
  async function invoke(channel: string, payload?: unknown): Promise<unknown> {
    const id = nextId++;
    const message: ClientMessage = { type: 'invoke', id, channel, payload };
    const outcome = new Promise<Outcome<unknown>>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${channel} got no answer within ${requestTimeoutMs} ms`)), requestTimeoutMs);
      pending.set(id, (answer) => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(answer);
      });
    });
    socket.send(JSON.stringify(message));
    return unwrapOutcome(channel, await outcome);
  }

  return { invoke: invoke as BurrowApi['invoke'], close: () => socket.close() };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
