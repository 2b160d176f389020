import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { getFile, putFile, TransferTooLargeError, UnencryptedTransferError, type TransferRoute } from './http-transfer.js';

const direct: TransferRoute = { route: { kind: 'direct' }, allowUnencrypted: true };

describe('files over HTTP along a route', () => {
  let folder: string;
  let server: http.Server;
  let received: { method: string; headers: http.IncomingHttpHeaders; body: Buffer }[];
  let base: string;

  beforeEach(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'burrow-transfer-'));
    received = [];
    server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ method: request.method ?? '', headers: request.headers, body: Buffer.concat(chunks) });
        if (request.url === '/big') return response.end(Buffer.alloc(4096, 1));
        response.statusCode = request.method === 'PUT' ? 201 : 404;
        response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await rm(folder, { recursive: true, force: true });
  });

  it('PUTs the file with the slot’s headers, telling its progress to the last byte', async () => {
    const file = path.join(folder, 'photo.png');
    await writeFile(file, Buffer.alloc(100_000, 7));
    const progress: number[] = [];
    await putFile(new URL(`${base}/slot/photo.png`), { path: file, size: 100_000, contentType: 'image/png', headers: { Authorization: 'Bearer token' } }, direct, {
      signal: AbortSignal.timeout(5_000),
      onProgress: (bytes) => progress.push(bytes),
    });
    expect(received[0]).toMatchObject({ method: 'PUT', headers: { authorization: 'Bearer token', 'content-type': 'image/png', 'content-length': '100000' } });
    expect(received[0]?.body.equals(Buffer.alloc(100_000, 7))).toBe(true);
    expect(progress.at(-1)).toBe(100_000);
  });

  it('refuses plain http while unencrypted paths are not allowed, before connecting', async () => {
    const file = path.join(folder, 'a');
    await writeFile(file, 'a');
    const refused = putFile(new URL(`${base}/slot/a`), { path: file, size: 1, contentType: 'text/plain', headers: {} }, { ...direct, allowUnencrypted: false }, { signal: AbortSignal.timeout(5_000) });
    await expect(refused).rejects.toBeInstanceOf(UnencryptedTransferError);
    expect(received).toEqual([]);
  });

  it('stops a download over its bound, and says a missing file’s status', async () => {
    const into = path.join(folder, 'download');
    await expect(getFile(new URL(`${base}/big`), into, 1024, direct, { signal: AbortSignal.timeout(5_000) })).rejects.toBeInstanceOf(TransferTooLargeError);
    await expect(getFile(new URL(`${base}/gone`), into, 1024, direct, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow('answered HTTP 404');
    const got = await getFile(new URL(`${base}/big`), into, 4096, direct, { signal: AbortSignal.timeout(5_000) });
    expect(got.size).toBe(4096);
    expect((await readFile(into)).length).toBe(4096);
  });
});
