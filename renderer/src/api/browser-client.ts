/**
 * Browser mode's stand-in for the preload: the same BurrowApi, spoken over the host's
 * WebSocket. Window requests are served here, by the page, since the host has no windows.
 */
import {
  isEventChannel,
  isRequestChannel,
  requests,
  unwrapOutcome,
  BurrowRequestError,
  type RequestOf,
  type BurrowApi,
  type EventChannel,
  type Outcome,
  type WindowRequestChannel,
} from '../../../electron/contract/contract.js';
import { IPC_PATH, ServerMessage, type ClientMessage } from '../../../electron/contract/wire.js';
import { fittedTo, PREFERENCES_WINDOW_SIZE, windowPageQuery } from '../../../electron/contract/windows.js';

const windowRequests: { [C in WindowRequestChannel]: (payload: RequestOf<C>) => void } = {
  'window:openPreferences': (place) => {
    const { width, height } = fittedTo({ width: screen.availWidth, height: screen.availHeight }, PREFERENCES_WINDOW_SIZE);
    // Named, so that an open one is found rather than replaced: it is only brought forward, keeping its edits.
    const preferences = window.open('', 'burrow-preferences', `popup,width=${width},height=${height}`);
    if (preferences?.location.href === 'about:blank') preferences.location.href = `./${windowPageQuery('preferences', place)}`;
    preferences?.focus();
  },
  'window:close': () => window.close(),
  // A new browser tab stands in for the system browser; it gets no handle back to this page.
  'window:openExternal': ({ url }) => void window.open(url, '_blank', 'noopener,noreferrer'),
};

export function createBrowserClient(url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${IPC_PATH}`): BurrowApi {
  const socket = new WebSocket(url);
  const opened = new Promise<void>((resolve, reject) => {
    socket.addEventListener('open', () => resolve(), { once: true });
    socket.addEventListener('error', () => reject(new Error('Burrow could not reach its browser-mode host. Is `npm run start:browser` still running?')), { once: true });
  });
  const pending = new Map<number, { resolve: (outcome: Outcome<unknown>) => void; reject: (error: Error) => void }>();
  const listeners = new Map<EventChannel, Set<(payload: never) => void>>();
  let nextId = 0;

  socket.addEventListener('message', (event: MessageEvent<string>) => {
    const parsed = ServerMessage.safeParse(parseJson(event.data));
    if (!parsed.success) {
      console.error('Burrow ignored a malformed message from its host:', parsed.error.message);
      return;
    }
    const message = parsed.data;
    if (message.type === 'event') {
      if (isEventChannel(message.channel)) for (const listener of listeners.get(message.channel) ?? []) listener(message.payload as never);
    } else if (message.id !== null) {
      pending.get(message.id)?.resolve(message.outcome);
      pending.delete(message.id);
    }
  });
  socket.addEventListener('close', () => {
    for (const request of pending.values()) request.reject(new Error('The connection to Burrow\'s browser-mode host was lost.'));
    pending.clear();
  });

  async function invoke(channel: string, payload?: unknown): Promise<unknown> {
    if (!isRequestChannel(channel)) throw new TypeError(`Unknown request channel ${JSON.stringify(channel)}.`);
    if (Object.hasOwn(windowRequests, channel)) {
      const parsed = requests[channel].request.safeParse(payload);
      if (!parsed.success) throw new BurrowRequestError(channel, 'invalid-payload', parsed.error.message);
      return (windowRequests[channel as WindowRequestChannel] as (payload: unknown) => void)(parsed.data);
    }
    await opened;
    const id = nextId++;
    const outcome = new Promise<Outcome<unknown>>((resolve, reject) => pending.set(id, { resolve, reject }));
    const message: ClientMessage = { type: 'invoke', id, channel, payload };
    socket.send(JSON.stringify(message));
    return unwrapOutcome(channel, await outcome);
  }

  return {
    invoke: invoke as BurrowApi['invoke'],
    on: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(channel, set);
      return () => void set.delete(listener as (payload: never) => void);
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
