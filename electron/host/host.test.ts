import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { Notice } from '../contract/contract.js';
import { createCore, type Core } from '../core/index.js';
import { MemorySecretStore } from '../core/settings/index.js';
import { startHost, type Host } from './host.js';

let dir: string;
let core: Core;
let host: Host;
const onQuit = vi.fn();

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'burrow-host-'));
  await writeFile(path.join(dir, 'index.html'), '<h1>Burrow</h1>');
  core = await createCore({ dataDir: path.join(dir, 'data'), mode: 'browser', version: '9.9.9', secrets: new MemorySecretStore(), autoConnect: false });
  host = await startHost({ core, rendererDir: dir, port: 0, onQuit });
});

afterEach(async () => {
  await core.close();
  await host.close();
  await rm(dir, { recursive: true, force: true });
});

function connect(origin = host.url.replace(/\/$/, '')): Promise<WebSocket> {
  const socket = new WebSocket(`${host.url.replace('http', 'ws')}ipc`, { origin });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function nextMessage(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
}

describe('browser mode host', () => {
  it('serves the UI with a strict content security policy', async () => {
    const response = await fetch(host.url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('<h1>Burrow</h1>');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('serves nothing outside the renderer folder', async () => {
    const response = await fetch(`${host.url}..%2f..%2fetc%2fpasswd`);
    expect(response.status).toBe(404);
  });

  it('answers contract requests over the WebSocket from its own page', async () => {
    const socket = await connect();
    socket.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'app:getInfo' }));
    expect(await nextMessage(socket)).toMatchObject({ type: 'result', id: 1, outcome: { ok: true, value: { name: 'Burrow', version: '9.9.9', mode: 'browser' } } });
    socket.close();
  });

  it('refuses a WebSocket from another origin, so other web pages cannot reach the messenger', async () => {
    await expect(connect('http://evil.example')).rejects.toThrow(/403/);
  });

  it('answers malformed messages and invalid payloads with clear errors and keeps serving', async () => {
    const socket = await connect();
    socket.send('{not json');
    expect(await nextMessage(socket)).toMatchObject({ outcome: { ok: false, error: { code: 'invalid-payload', message: 'Malformed message: not JSON.' } } });
    socket.send(JSON.stringify({ type: 'invoke', id: 2, channel: 'app:dismissNotice', payload: { id: '' } }));
    expect(await nextMessage(socket)).toMatchObject({ id: 2, outcome: { ok: false, error: { code: 'invalid-payload' } } });
    socket.send(JSON.stringify({ type: 'invoke', id: 3, channel: 'window:openPreferences' }));
    expect(await nextMessage(socket)).toMatchObject({ id: 3, outcome: { ok: false, error: { code: 'invalid-channel' } } });
    socket.send(JSON.stringify({ type: 'invoke', id: 4, channel: 'app:getInfo' }));
    expect(await nextMessage(socket)).toMatchObject({ id: 4, outcome: { ok: true } });
    socket.close();
  });

  it('pushes core events to connected pages', async () => {
    const socket = await connect();
    const message = nextMessage(socket);
    const notice: Notice = core.notices.post('warning', 'Your settings file was unreadable; it was backed up and replaced by defaults.');
    expect(await message).toEqual({ type: 'event', channel: 'app:notice', payload: notice });
    socket.close();
  });

  it('stops on File › Quit, as the app would', async () => {
    const socket = await connect();
    socket.send(JSON.stringify({ type: 'invoke', id: 5, channel: 'app:quit' }));
    expect(await nextMessage(socket)).toMatchObject({ id: 5, outcome: { ok: true } });
    await vi.waitFor(() => expect(onQuit).toHaveBeenCalledOnce());
    socket.close();
  });
});
