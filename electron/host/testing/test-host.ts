/**
 * A browser-mode host over a fresh core in a temporary folder, and what a browser does to use it:
 * trade the printed address for the secret's cookie, then open the contract's WebSocket.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';

import { createCore, type Core } from '../../core/index.js';
import { MemorySecretStore } from '../../core/settings/index.js';
import { startHost, type Host } from '../host.js';

export interface TestHost {
  /** The temporary folder: the renderer's index.html, and the core's data in `data/`. */
  dir: string;
  core: Core;
  host: Host;
  /** The secret's cookie, as `name=value`. */
  cookie: string;
  /** A WebSocket to the contract, from the host's own page unless told otherwise. */
  connect(options?: { origin?: string; headers?: Record<string, string> }): Promise<WebSocket>;
  close(): Promise<void>;
}

export async function startTestHost(onQuit: () => void): Promise<TestHost> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'burrow-host-'));
  await writeFile(path.join(dir, 'index.html'), '<h1>Burrow</h1>');
  const core = await createCore({ dataDir: path.join(dir, 'data'), mode: 'browser', version: '9.9.9', secrets: new MemorySecretStore(), autoConnect: false });
  const host = await startHost({ core, rendererDir: dir, port: 0, onQuit });
  // What a browser does with the printed address: it gets the secret's cookie.
  const response = await fetch(host.entryUrl, { redirect: 'manual' });
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  return {
    dir,
    core,
    host,
    cookie,
    connect: ({ origin = host.url.replace(/\/$/, ''), headers = { cookie } } = {}) => {
      const socket = new WebSocket(`${host.url.replace('http', 'ws')}ipc`, { origin, headers });
      return new Promise((resolve, reject) => {
        socket.once('open', () => resolve(socket));
        socket.once('error', reject);
      });
    },
    close: async () => {
      await core.close();
      await host.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function closeCode(socket: WebSocket): Promise<number> {
  return new Promise((resolve) => socket.once('close', (code) => resolve(code)));
}

export function nextMessage(socket: WebSocket): Promise<unknown> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
}
