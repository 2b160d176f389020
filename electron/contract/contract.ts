/**
 * The one IPC contract between the UI and the rest of Burrow.
 *
 * Every request channel names the schema of its payload and of its response; every event
 * channel names the schema of what it carries. The Electron main process, the browser-mode
 * host and the renderer all derive their types from this module, and both servers validate
 * every payload against it (see validate.ts). This module must stay free of Node and
 * Electron imports: the renderer and the preload bundle it.
 */
import { z } from 'zod';
import { SecretKey } from '../common/settings/secret-keys.js';
import { Community, lockableServerFields, Settings, settingSources, Sha256Fingerprint } from '../common/settings/schema.js';
import { AccountCause } from './account-lifecycle.js';
import { AttemptPath } from './attempt-path.js';
import { AttemptView } from './attempt-view.js';
import { ConnectionFacts, Diagnosis } from './diagnosis.js';
import { MenuCommandEvent } from './menu.js';
import { PreferencesPlace } from './windows.js';
import { avatarEvents, avatarRequests } from './avatars.js';
import { fileEvents, fileRequests } from './files.js';
import { messagingEvents, messagingRequests } from './messaging.js';

export { AttemptPath } from './attempt-path.js';
export { AttemptView, CertificateView, mayBeTrusted } from './attempt-view.js';
export { ConnectionFacts, Diagnosis, PreferencesField } from './diagnosis.js';
export * from './account-lifecycle.js';
export * from './messaging.js';
export * from './files.js';
export * from './avatars.js';

export const NoPayload = z.undefined();

export const AppInfo = z.strictObject({
  name: z.string(),
  version: z.string(),
  mode: z.enum(['electron', 'browser']),
  platform: z.string(),
  /** The operating system, as a help desk asks for it: "Linux 6.1.0-18-amd64 x64". */
  os: z.string(),
  runtime: z.string(),
  dataDir: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Notice = z.strictObject({
  id: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  message: z.string(),
});
export type Notice = z.infer<typeof Notice>;

/** A setting's effective value and where it came from ("Set by your administrator" when admin-locked). */
export const SourcedValue = z.strictObject({ value: z.unknown(), source: z.enum(settingSources) });
/** Effective connection settings by flat key ('method', 'proxy.host', …). */
export const ResolvedConnection = z.record(z.string(), SourcedValue);
export type ResolvedConnection = z.infer<typeof ResolvedConnection>;

/** Effective desktop settings by key ('closeToTray', 'startAtLogin', 'awayAfterMinutes'). */
export const ResolvedDesktop = z.record(z.string(), SourcedValue);

export const SettingsView = z.strictObject({
  /** What the user chose: the settings document as stored. */
  settings: Settings,
  /** The global connection settings in effect. */
  global: ResolvedConnection,
  /** The tray, start at login and away when idle, in effect. */
  desktop: ResolvedDesktop,
  /** Every community (the administrator's and the user's), with the connection settings in effect for it. */
  communities: z.array(
    z.strictObject({
      community: Community,
      source: z.enum(['admin-default', 'user']),
      connection: ResolvedConnection,
      /** Its fields the administrator locked; its locked connection values are 'admin-locked' in `connection`. */
      lockedFields: z.array(z.enum(lockableServerFields)),
      /** false for a community the administrator locked, whole or in part. */
      removable: z.boolean(),
    }),
  ),
  /** Keys ('method', 'proxy.host', …) the administrator locked. */
  lockedKeys: z.array(z.string()),
  /** Which passwords are stored (their values never leave core). */
  storedPasswords: z.array(SecretKey),
  /** false where the administrator forbids users to trust a server certificate themselves. */
  certificateTrustAllowed: z.boolean(),
  settingsFile: z.string(),
});
export type SettingsView = z.infer<typeof SettingsView>;

export const SaveSettings = z.strictObject({
  settings: Settings,
  /** New passwords by key; null removes one. */
  passwords: z.array(z.strictObject({ key: SecretKey, value: z.string().nullable() })).default([]),
});
export type SaveSettings = z.infer<typeof SaveSettings>;


/** A server certificate, by its SHA-256 fingerprint, for one community. */
export const CertificateOfCommunity = z.strictObject({ communityId: z.string().min(1), fingerprint256: Sha256Fingerprint });
export type CertificateOfCommunity = z.infer<typeof CertificateOfCommunity>;

export const ConnectionTestProgress = z.strictObject({
  communityId: z.string(),
  event: z.enum(['started', 'reached', 'negotiating', 'secured', 'overtaken', 'won', 'failed', 'cancelled', 'skipped', 'reachable']),
  atMs: z.number(),
  attempt: AttemptView,
});
export type ConnectionTestProgress = z.infer<typeof ConnectionTestProgress>;

export const ConnectionTestResult = z.strictObject({
  communityId: z.string(),
  connected: z.boolean(),
  /** The winning path. */
  path: AttemptPath.nullable(),
  elapsedMs: z.number(),
  attempts: z.array(AttemptView),
  /** What failed, and so what stood in the way; after a connection, on the paths before the winner. */
  diagnosis: Diagnosis,
  settings: ConnectionFacts,
  /** After connecting, the account is signed in when a user name and password are saved; `endedAtMs` is since the race began. */
  signIn: z.discriminatedUnion('status', [
    z.strictObject({ status: z.literal('signed-in'), jid: z.string(), endedAtMs: z.number() }),
    z.strictObject({ status: z.literal('failed'), cause: AccountCause, endedAtMs: z.number() }),
    z.strictObject({ status: z.literal('skipped'), reason: z.string() }),
  ]),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>;

/** Requests served by the core, identically in Electron and in browser mode. */
export const coreRequests = {
  'app:getInfo': { request: NoPayload, response: AppInfo },
  'app:listNotices': { request: NoPayload, response: z.array(Notice) },
  'app:dismissNotice': { request: z.strictObject({ id: z.string().min(1) }), response: z.undefined() },
  'settings:get': { request: NoPayload, response: SettingsView },
  'settings:save': { request: SaveSettings, response: SettingsView },
  /** Preferences › Test connection: runs the race for a community as saved; progress arrives as connection:testProgress. */
  'connection:test': { request: z.strictObject({ communityId: z.string().min(1) }), response: ConnectionTestResult },
  /** "Trust this certificate…", confirmed: only one a connection to the community was just refused with, and that may be trusted. */
  'certificates:trust': { request: CertificateOfCommunity, response: SettingsView },
  'certificates:forget': { request: CertificateOfCommunity, response: SettingsView },
  /** Browser mode: how long the user has left the page untouched (0: active now), for away when idle. Electron asks the system instead. */
  'presence:idle': { request: z.strictObject({ idleMs: z.int().nonnegative().max(365 * 24 * 3_600_000) }), response: z.undefined() },
  ...messagingRequests,
  ...fileRequests,
  ...avatarRequests,
} as const;

/**
 * Requests about windows. Electron's main process serves them; in browser mode the page
 * itself plays the window manager (see renderer/src/api/browser-client.ts).
 */
export const windowRequests = {
  /** At a community's field when given (advice links to it); an open Preferences window is only brought forward, keeping its edits. */
  'window:openPreferences': { request: PreferencesPlace.optional(), response: z.undefined() },
  'window:close': { request: NoPayload, response: z.undefined() },
  /** A link from a message: opened in the system browser, never inside Burrow. Web and mail links only. */
  'window:openExternal': {
    request: z.strictObject({ url: z.url({ protocol: /^(https?|mailto)$/, normalize: true }).max(8192) }),
    response: z.undefined(),
  },
} as const;

/** Requests served by whichever process owns the app's lifetime: Electron's main, or the browser-mode host. */
export const lifecycleRequests = {
  'app:quit': { request: NoPayload, response: z.undefined() },
} as const;

export const requests = { ...coreRequests, ...windowRequests, ...lifecycleRequests } as const;

export const events = {
  'app:notice': Notice,
  'settings:changed': SettingsView,
  'connection:testProgress': ConnectionTestProgress,
  /** Electron only: a page command (New Chat…, Find…, Getting started) chosen from the native menu, sent to the chat window. */
  'menu:command': MenuCommandEvent,
  ...messagingEvents,
  ...fileEvents,
  ...avatarEvents,
} as const;

export type RequestChannel = keyof typeof requests;
export type CoreRequestChannel = keyof typeof coreRequests;
export type MessagingRequestChannel = keyof typeof messagingRequests;
export type FileRequestChannel = keyof typeof fileRequests;
export type AvatarRequestChannel = keyof typeof avatarRequests;
export type WindowRequestChannel = keyof typeof windowRequests;
export type LifecycleRequestChannel = keyof typeof lifecycleRequests;
export type EventChannel = keyof typeof events;

export type RequestOf<C extends RequestChannel> = z.infer<(typeof requests)[C]['request']>;
export type ResponseOf<C extends RequestChannel> = z.infer<(typeof requests)[C]['response']>;
export type EventOf<E extends EventChannel> = z.infer<(typeof events)[E]>;

/** Electron IPC channel on which main pushes every contract event to the preload. */
export const EVENT_IPC_CHANNEL = 'burrow:event';
/** Electron IPC channel on which the preload tells main the page has taken an event: main holds what a busy page has not (core/paced-events.ts). */
export const EVENT_TAKEN_IPC_CHANNEL = 'burrow:event-taken';

export const requestChannels = Object.keys(requests) as RequestChannel[];
export const eventChannels = Object.keys(events) as EventChannel[];

export function isRequestChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && Object.hasOwn(requests, name);
}

export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** What every request resolves to on the wire: a value, or an error a person can read. */
export const ErrorCode = z.enum(['invalid-channel', 'invalid-payload', 'forbidden', 'failed']);
export type ErrorCode = z.infer<typeof ErrorCode>;
export const ContractError = z.strictObject({ code: ErrorCode, message: z.string() });
export type ContractError = z.infer<typeof ContractError>;
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ContractError };

type Invoke = <C extends RequestChannel>(
  channel: C,
  ...payload: RequestOf<C> extends undefined ? [] : undefined extends RequestOf<C> ? [RequestOf<C>?] : [RequestOf<C>]
) => Promise<ResponseOf<C>>;

/**
 * The API the renderer sees as `window.burrow`: exposed by the preload in Electron and
 * provided by the WebSocket client in browser mode.
 */
export interface BurrowApi {
  invoke: Invoke;
  on<E extends EventChannel>(channel: E, listener: (payload: EventOf<E>) => void): () => void;
}

/** Thrown by BurrowApi.invoke when the other side answered with an error. */
export class BurrowRequestError extends Error {
  constructor(
    readonly channel: string,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BurrowRequestError';
  }
}

export function unwrapOutcome<T>(channel: string, outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw new BurrowRequestError(channel, outcome.error.code, outcome.error.message);
}
