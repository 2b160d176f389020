/**
 * Fakes for the chat window's component tests: a BurrowApi whose requests answer from a table
 * and whose events the test fires, and sample views.
 */
import { act, cleanup } from '@testing-library/react';
import { afterAll, afterEach, beforeEach, vi } from 'vitest';
import { SETTINGS_VERSION, type TrustedCertificate } from '../../../electron/common/settings/schema.js';
import type {
  AttemptPath,
  CertificateView,
  AccountCause,
  AccountLifecycle,
  AccountView,
  BurrowApi,
  ContactView,
  EventChannel,
  EventOf,
  HistoryPageView,
  MessageView,
  RequestChannel,
  Remedy,
  RequestOf,
  ResponseOf,
  SettingsView,
} from '../../../electron/contract/contract.js';

// Without vitest's globals, Testing Library cannot unmount between tests by itself.
afterEach(() => cleanup());

/** The scrollers of the virtual lists (Roster.tsx, Conversation.tsx). */
const virtualListScrollers = ['roster', 'message-scroller'];

/**
 * jsdom lays nothing out: every element is 0 px tall, so a virtual list would see no room and no
 * rows. This gives its scroller `viewport` px and every other element `row` px, as a browser
 * would, and the scroller the height of its list, for each test of the file that calls it.
 */
export function layOutVirtualListsInEachTest(sizes: { viewport?: number; row?: number } = {}): void {
  let undo = () => {};
  beforeEach(() => void (undo = layOutVirtualLists(sizes)));
  afterEach(() => undo());
  // The virtualizer says scrolling stopped a while after the last scroll, even from a list already
  // unmounted: that must happen while the file's window still exists, not after its environment is gone.
  afterAll(() => new Promise((resolve) => setTimeout(resolve, scrollingResetMs + 50)));
}

/** How long after the last scroll the virtualizer says scrolling stopped (its default isScrollingResetDelay). */
const scrollingResetMs = 150;

function layOutVirtualLists({ viewport = 600, row = 40 }: { viewport?: number; row?: number }): () => void {
  const isScroller = (element: HTMLElement) => virtualListScrollers.some((name) => element.classList.contains(name));
  const offsetHeight = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetHeight');
  const offsetWidth = Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetWidth');
  Object.defineProperties(HTMLElement.prototype, {
    offsetHeight: { configurable: true, get: function (this: HTMLElement) { return isScroller(this) ? viewport : row; } },
    offsetWidth: { configurable: true, get: () => 300 },
    scrollHeight: {
      configurable: true,
      get: function (this: HTMLElement) { return isScroller(this) ? parseFloat(this.querySelector<HTMLElement>('ol, ul')?.style.height ?? '0') || 0 : row; },
    },
  });
  return () => {
    if (offsetHeight) Object.defineProperty(HTMLElement.prototype, 'offsetHeight', offsetHeight);
    if (offsetWidth) Object.defineProperty(HTMLElement.prototype, 'offsetWidth', offsetWidth);
    delete (HTMLElement.prototype as { scrollHeight?: number }).scrollHeight;
  };
}

export type FakeResponses = { [C in RequestChannel]?: (payload: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>> };

/**
 * What the chat window asks for on its own that a test need not set up: an account in no room, no
 * avatars, and no message matching a search (whose query goes out after a pause, perhaps late on a busy machine).
 */
const quietDefaults: FakeResponses = {
  'rooms:get': () => [],
  'search:messages': () => ({ results: [] }),
  'avatars:get': ({ communityId, jid }) => ({ communityId, jid, image: null }),
};

export function fakeApi(responses: FakeResponses = {}) {
  const listeners = new Map<EventChannel, Set<(payload: never) => void>>();
  const invoke = vi.fn(async (channel: RequestChannel, payload?: unknown): Promise<unknown> => {
    const respond = (responses[channel] ?? quietDefaults[channel]) as ((payload: unknown) => unknown) | undefined;
    return respond ? respond(payload) : undefined;
  });
  const api: BurrowApi = {
    invoke: invoke as unknown as BurrowApi['invoke'],
    on: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(channel, set);
      return () => void set.delete(listener as (payload: never) => void);
    },
  };
  return {
    api,
    invoke,
    /** Fires an event at every listener, inside act(). */
    emit<E extends EventChannel>(channel: E, payload: EventOf<E>) {
      act(() => {
        for (const listener of listeners.get(channel) ?? []) (listener as (payload: EventOf<E>) => void)(payload);
      });
    },
    listenerCount: (channel: EventChannel) => listeners.get(channel)?.size ?? 0,
    /** The payloads a channel was invoked with. */
    calls: (channel: RequestChannel) => invoke.mock.calls.filter(([called]) => called === channel).map(([, payload]) => payload),
  };
}

const wss = { host: 'chat.lab.test', port: 443, path: '/xmpp-websocket', secure: true };

/** Paths as core sends them. */
export const samplePaths = {
  directTls: { transport: 'directtls', endpoint: { host: 'chat.lab.test', port: 5223, secure: true }, route: { kind: 'direct' } },
  wss: { transport: 'websocket', endpoint: wss, route: { kind: 'direct' } },
  wssViaProxy: { transport: 'websocket', endpoint: wss, route: { kind: 'proxy', proxyType: 'http', host: 'proxy.lab.test', port: 3128 } },
  bosh: { transport: 'bosh', endpoint: { host: 'chat.lab.test', port: 443, path: '/http-bind', secure: true }, route: { kind: 'direct' } },
} satisfies Record<string, AttemptPath>;

export const samplePath = samplePaths.wssViaProxy;

/** Sample lifecycles, each a state of core's account state machine. */
export const lifecycle = {
  online: (overrides: Partial<Extract<AccountLifecycle, { state: 'online' }>> = {}): AccountLifecycle => ({
    state: 'online',
    since: 0,
    path: samplePath,
    resumed: false,
    connectMs: 180,
    failures: 0,
    ...overrides,
  }),
  connecting: (step: 'racing' | 'signing-in' = 'racing'): AccountLifecycle => ({ state: 'connecting', since: 0, step }),
  reconnecting: (cause: AccountCause, next: Extract<AccountLifecycle, { state: 'reconnecting' }>['next'], failures = 1): AccountLifecycle => ({
    state: 'reconnecting',
    since: 0,
    cause,
    failures,
    next,
  }),
  failed: (cause: AccountCause, remedy: Remedy): AccountLifecycle => ({ state: 'failed', since: 0, cause, remedy }),
  offline: (): AccountLifecycle => ({ state: 'offline' }),
  notConfigured: (): AccountLifecycle => ({ state: 'not-configured' }),
};

export function account(overrides: Partial<AccountView> = {}): AccountView {
  return {
    communityId: 'lab',
    displayName: 'Lab',
    jid: 'alice@lab.test',
    lifecycle: lifecycle.online(),
    attempts: [],
    presence: { availability: 'available', status: '' },
    catchingUp: null,
    ...overrides,
  };
}

export function contact(jid: string, overrides: Partial<ContactView> = {}): ContactView {
  return { jid, name: null, groups: [], subscription: 'both', askPending: false, availability: 'available', status: null, ...overrides };
}

let nextId = 0;
export function message(body: string, overrides: Partial<MessageView> = {}): MessageView {
  nextId += 1;
  return {
    communityId: 'lab',
    peer: 'bob@lab.test',
    id: `m${nextId}`,
    direction: 'out',
    body,
    at: new Date().toISOString(),
    state: 'sent',
    edited: false,
    ...overrides,
  };
}

/** A conversation short enough to be one page: the whole of it. */
export function wholeHistory(...messages: MessageView[]): HistoryPageView {
  return { messages, olderCursor: null, newerCursor: null };
}

/** A certificate the server presented for chat.lab.test and Burrow refused. */
export function refusedCertificate(overrides: Partial<CertificateView> = {}): CertificateView {
  return {
    expectedName: 'chat.lab.test',
    subject: 'CN=evil.test',
    issuer: 'CN=Evil CA',
    names: ['evil.test'],
    notBefore: '2025-01-01T00:00:00.000Z',
    notAfter: '2030-01-01T00:00:00.000Z',
    fingerprint256: Array.from({ length: 32 }, (_, index) => (index + 0xa0).toString(16).toUpperCase()).join(':'),
    problems: ['self-signed'],
    ...overrides,
  };
}

/** The settings as core shows them, with no community of their own: enough for what certificates need. */
export function certificateSettingsView({
  trustedCertificates = {},
  certificateTrustAllowed = true,
}: { trustedCertificates?: Record<string, TrustedCertificate[]>; certificateTrustAllowed?: boolean } = {}): SettingsView {
  return {
    settings: { version: SETTINGS_VERSION, connection: {}, communities: [], trustedCertificates, desktop: {} },
    global: {},
    desktop: {},
    communities: [],
    lockedKeys: [],
    storedPasswords: [],
    certificateTrustAllowed,
    settingsFile: '/tmp/settings.json',
  };
}
