/**
 * The browser-mode host fuzzed through its WebSocket. Whatever a client sends — text that is not
 * JSON, JSON of every shape, a wrong payload for every channel, unknown channels, huge strings,
 * deep nesting, bytes that are not UTF-8, frames over the limit — is answered with an error or
 * costs that client its socket: the host never crashes, goes on serving, and leaves the core as it
 * was. Seeded (BURROW_FUZZ_SEED replays another run), and a few seconds long.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';

import { SETTINGS_VERSION } from '../common/settings/schema.js';
import { isRequestChannel, requestChannels, requests, type RequestChannel, type RequestOf } from '../contract/contract.js';
import { dispatch } from '../contract/validate.js';
import { ClientMessage, ServerMessage } from '../contract/wire.js';
import { Arbitrary } from './testing/arbitrary.js';
import { closeCode, nextMessage, startTestHost, type TestHost } from './testing/test-host.js';

const seed = Number(process.env.BURROW_FUZZ_SEED ?? 20_261_122);
const MiB = 1024 * 1024;

const community = { id: 'lab', displayName: 'Lab', hostServer: 'chat.lab.test', username: 'alice', useGlobalConnection: true, connection: {} };
const ref = { communityId: 'lab', jid: 'bob@lab.test' };
const peer = { communityId: 'lab', peer: 'bob@lab.test' };
const transferId = '3f1c2a9e-6b7d-4e2f-9a1b-2c3d4e5f6a7b';
const room = { communityId: 'lab', room: 'team@rooms.lab.test' };

/** A valid payload for every request channel (the type makes a new channel need one): the fuzz changes them one place at a time. */
const validPayloads: { [C in RequestChannel]: RequestOf<C> } = {
  'app:getInfo': undefined,
  'app:listNotices': undefined,
  'app:dismissNotice': { id: 'notice' },
  'settings:get': undefined,
  'settings:save': { settings: { version: SETTINGS_VERSION, connection: {}, communities: [community], trustedCertificates: {}, desktop: {} }, passwords: [{ key: 'community:lab:password', value: 'secret' }] },
  'connection:test': { communityId: 'lab' },
  'certificates:trust': { communityId: 'lab', fingerprint256: Array.from({ length: 32 }, () => 'AB').join(':') },
  'certificates:forget': { communityId: 'lab', fingerprint256: Array.from({ length: 32 }, () => 'AB').join(':') },
  'accounts:list': undefined,
  'account:connect': { communityId: 'lab' },
  'account:disconnect': { communityId: 'lab' },
  'presence:set': { communityId: 'lab', presence: { availability: 'away', status: 'In a meeting' } },
  'presence:idle': { idleMs: 60_000 },
  'roster:get': { communityId: 'lab' },
  'roster:add': { ...ref, name: 'Bob', group: 'Friends' },
  'roster:rename': { ...ref, name: 'Bob' },
  'roster:remove': ref,
  'subscription:answer': { ...ref, accept: true },
  'chat:conversations': { communityId: 'lab' },
  'chat:history': { ...peer, before: '1764000000000:42', limit: 50 },
  'search:messages': { query: 'lunch tomorrow', communityId: 'lab', limit: 20 },
  'chat:send': { ...peer, body: 'hello' },
  'chat:correct': { ...peer, id: 'message', body: 'corrected' },
  'chat:retry': { ...peer, id: 'message' },
  'chat:markRead': peer,
  'chat:setState': { ...peer, state: 'composing' },
  'messageRequests:get': { communityId: 'lab' },
  'messageRequests:answer': { ...peer, accept: false },
  'files:limit': { communityId: 'lab' },
  'files:begin': { ...peer, name: 'photo.png', contentType: 'image/png', size: 1024 },
  'files:chunk': { communityId: 'lab', transferId, offset: 0, data: 'iVBORw0KGgo=' },
  'files:send': { communityId: 'lab', transferId },
  'files:cancel': { communityId: 'lab', transferId },
  'files:fetch': { communityId: 'lab', url: 'https://upload.lab.test/abc/photo.png', purpose: 'preview' },
  'files:read': { communityId: 'lab', fetchId: transferId, offset: 0 },
  'avatars:get': { communityId: 'lab', jid: 'bob@lab.test' },
  'avatars:setOwn': { communityId: 'lab', data: 'iVBORw0KGgo=' },
  'rooms:get': { communityId: 'lab' },
  'rooms:browse': { communityId: 'lab' },
  'room:join': { ...room, nick: 'Bob' },
  'room:create': { communityId: 'lab', name: 'team', nick: 'Bob' },
  'room:leave': room,
  'room:occupants': room,
  'room:invite': { ...room, jid: 'carol@lab.test', reason: 'the plan' },
  'room:setSubject': { ...room, subject: 'Plans' },
  'window:openPreferences': undefined,
  'window:close': undefined,
  'window:openExternal': { url: 'https://burrow.invalid/' },
  'app:quit': undefined,
};

/** Requests that only read: what they answer is the core's state as the UI sees it. */
const reads: [RequestChannel, unknown][] = [
  ['app:getInfo', undefined],
  ['app:listNotices', undefined],
  ['settings:get', undefined],
  ['accounts:list', undefined],
  ['roster:get', { communityId: 'lab' }],
  ['chat:conversations', { communityId: 'lab' }],
  ['search:messages', { query: 'hello' }],
  ['messageRequests:get', { communityId: 'lab' }],
];

let testHost: TestHost;
const onQuit = vi.fn();
/** Events the core told while the fuzz ran, and anything thrown that nothing caught (a crash, outside a test). */
let told: string[];
let crashes: unknown[];
const crashed = (error: unknown) => void crashes.push(error);
let before: unknown;

beforeEach(async () => {
  testHost = await startTestHost(onQuit);
  await testHost.core.handlers['settings:save'](validPayloads['settings:save']);
  await testHost.core.accounts.settled();
  told = [];
  crashes = [];
  testHost.core.events.subscribe((channel) => void told.push(channel));
  process.on('uncaughtException', crashed);
  process.on('unhandledRejection', crashed);
  before = await coreState();
});

afterEach(async () => {
  process.off('uncaughtException', crashed);
  process.off('unhandledRejection', crashed);
  await testHost.close();
});

/** What the core holds: its answers to every reading request, and every file in its data folder. */
async function coreState(): Promise<unknown> {
  const answers = await Promise.all(reads.map(([channel, payload]) => dispatch(testHost.core.handlers, channel, payload)));
  const folder = path.join(testHost.dir, 'data');
  const files = (await readdir(folder, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
  const contents = await Promise.all(files.map(async (file) => [path.relative(folder, path.join(file.parentPath, file.name)), await readFile(path.join(file.parentPath, file.name), 'utf8')]));
  return { answers, files: Object.fromEntries(contents) };
}

async function expectUnharmed(): Promise<void> {
  expect(crashes, 'nothing thrown that the host did not catch').toEqual([]);
  expect(told, 'no event from the core').toEqual([]);
  expect(onQuit).not.toHaveBeenCalled();
  expect(await coreState(), 'the core as it was').toEqual(before);
  const socket = await testHost.connect();
  socket.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'app:getInfo' }));
  expect(await nextMessage(socket), 'still serving').toMatchObject({ id: 1, outcome: { ok: true } });
  socket.close();
}

/** The error a frame must be answered with, or null for a frame the contract accepts (never sent). */
function expectedError(frame: string): { id: number | null; code: string } | null {
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return { id: null, code: 'invalid-payload' };
  }
  const message = ClientMessage.safeParse(json);
  if (!message.success) return { id: null, code: 'invalid-payload' };
  const { id, channel, payload } = message.data;
  // The host serves the core's requests and app:quit; the window requests are the page's own in browser mode.
  const served = isRequestChannel(channel) && (Object.hasOwn(testHost.core.handlers, channel) || channel === 'app:quit');
  if (!served) return { id, code: 'invalid-channel' };
  return requests[channel].request.safeParse(payload).success ? null : { id, code: 'invalid-payload' };
}

/** Sends every frame at once, and resolves with the answers once there is one for each (fails after 5 s without). */
function exchange(socket: WebSocket, frames: readonly string[]): Promise<ServerMessage[]> {
  const answers: ServerMessage[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${answers.length} of ${frames.length} frames answered; thrown meanwhile: ${crashes.join('; ')}`)), 5_000);
    socket.on('message', (data) => {
      answers.push(ServerMessage.parse(JSON.parse(data.toString())));
      if (answers.length < frames.length) return;
      clearTimeout(timer);
      resolve(answers);
    });
    for (const frame of frames) socket.send(frame);
  });
}

/** Sends every frame the contract does not accept, and checks each is answered with the error it should be, whatever the order. */
async function expectAllRefused(frames: readonly string[]): Promise<void> {
  const refused = frames.flatMap((frame) => {
    const error = expectedError(frame);
    return error ? [{ frame, error }] : [];
  });
  const socket = await testHost.connect();
  const answers = await exchange(
    socket,
    refused.map(({ frame }) => frame),
  );
  socket.close();
  const outcome = (answer: ServerMessage) => (answer.type === 'result' && !answer.outcome.ok ? `${answer.id} ${answer.outcome.error.code}` : JSON.stringify(answer));
  expect(answers.map(outcome).sort()).toEqual(refused.map(({ error }) => `${error.id} ${error.code}`).sort());
}

/** The largest of each kind a frame under 1 MiB can carry. */
const extremes = [
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  JSON.stringify({ type: 'invoke', id: 1_000, channel: 'x'.repeat(MiB - 100), payload: null }),
  JSON.stringify({ type: 'invoke', id: 1_001, channel: 'chat:send', payload: { communityId: 'lab', peer: 'bob@lab.test', body: 'x'.repeat(MiB - 200) } }),
];

/** Frames of every malformed kind, each with an id of its own where it has one. */
function malformedFrame(arbitrary: Arbitrary, id: number): string {
  const channel = () => arbitrary.pick([arbitrary.string(), arbitrary.pick(requestChannels), arbitrary.json()]);
  switch (arbitrary.int(6)) {
    case 0:
      return arbitrary.string();
    case 1:
      return JSON.stringify(arbitrary.json(4));
    case 2:
      return JSON.stringify({ type: arbitrary.pick(['invoke', arbitrary.json(1)]), id: arbitrary.pick([id, arbitrary.json(1)]), channel: channel(), payload: arbitrary.json() });
    case 3:
      return JSON.stringify({ type: 'invoke', id, channel: channel(), payload: arbitrary.json(), [arbitrary.string()]: arbitrary.json(1) });
    case 4:
      return `{"type":"invoke","id":${id},"channel":${JSON.stringify(arbitrary.pick(requestChannels))},"payload":${arbitrary.nested(1 + arbitrary.int(2_000))}}`;
    default:
      return JSON.stringify({ type: 'invoke', id, channel: `${arbitrary.pick(requestChannels)}${arbitrary.string()}`.padEnd(arbitrary.int(64 * 1024), 'x'), payload: arbitrary.string().repeat(arbitrary.int(4096)) });
  }
}

describe('the browser-mode host, fuzzed', () => {
  it('answers malformed frames (not JSON, any JSON, unknown channels, deep nesting, huge strings) each with its error', async () => {
    const arbitrary = new Arbitrary(seed);
    const frames = Array.from({ length: 300 }, (_, id) => malformedFrame(arbitrary, id));
    await expectAllRefused([...frames, ...extremes]);
    await expectUnharmed();
  });

  it('answers a wrong payload on every channel with invalid-payload (invalid-channel where the host does not serve it), and runs no handler', async () => {
    const arbitrary = new Arbitrary(seed + 1);
    let id = 0;
    const frames = requestChannels.flatMap((channel) => {
      expect(requests[channel].request.safeParse(validPayloads[channel]).success, `the sample for ${channel}`).toBe(true);
      return Array.from({ length: 30 }, () => JSON.stringify({ type: 'invoke', id: id++, channel, payload: arbitrary.mutate(validPayloads[channel]) }));
    });
    const wrong = frames.filter((frame) => expectedError(frame) !== null);
    expect(wrong.length, 'most changes make a payload wrong').toBeGreaterThan(frames.length * 0.7);
    await expectAllRefused(frames);
    await expectUnharmed();
  });

  it('closes the socket of a frame over 1 MiB (1009) or of text that is not UTF-8 (1007), and answers a binary frame with an error', async () => {
    const arbitrary = new Arbitrary(seed + 2);
    for (let round = 0; round < 12; round++) {
      const socket = await testHost.connect();
      const closed = closeCode(socket);
      if (round % 3 === 0) socket.send(Buffer.alloc(MiB + 1 + arbitrary.int(MiB), arbitrary.string() || 'x'), { binary: arbitrary.next() < 0.5 });
      else if (round % 3 === 1) socket.send(arbitrary.notUtf8(1 + arbitrary.int(4096)), { binary: false });
      else {
        socket.send(arbitrary.notUtf8(1 + arbitrary.int(4096)), { binary: true });
        expect(await nextMessage(socket)).toMatchObject({ id: null, outcome: { ok: false, error: { code: 'invalid-payload' } } });
        socket.close();
      }
      expect(await closed).toBe([1009, 1007, 1005][round % 3]);
    }
    await expectUnharmed();
  });
});
