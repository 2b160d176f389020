/**
 * Sharing a file through each of the lab's servers (Prosody's http_file_share, ejabberd's
 * mod_http_upload) in S5, where only the HTTP proxy's CONNECT to 443 leads out: alice's Burrow
 * finds the upload service and its limit, refuses a file over it before uploading, uploads an
 * image through the proxy with progress and sends its address; bob's Burrow gets the message and
 * fetches the image through the proxy too, byte for byte.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';

import { addEachOther, DrivenCore } from '../../../bench/core-client.js';
import { FILE_CHUNK_BYTES, type MessageView } from '../../contract/contract.js';
import { serverKinds } from '../../../lab/lab.js';
import { describeWithLab } from '../../../lab/testing.js';
import { upload } from '../../../lab/topology.js';
import { proxyLog } from '../connection/testing/lab-connect.js';

const communityId = 'lab';

/** A PNG's signature and header, then noise: an "image" as the bytes tell it, 1.5 MiB. */
const image = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), randomBytes(1.5 * 1024 * 1024)]);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

for (const server of serverKinds) {
  describeWithLab(`sharing a file through the proxy on ${server} (S5)`, { scenario: 'S5', server }, (lab) => {
    let folder: string;
    let alice: DrivenCore;
    let bob: DrivenCore;
    const jid = (name: string) => `${name}@${lab().domain}`;

    async function start(name: 'alice' | 'bob'): Promise<DrivenCore> {
      const account = lab().accounts.find((candidate) => candidate.username === name)!;
      const { http } = lab().proxies;
      const core = await DrivenCore.start(lab(), {
        dataDir: path.join(folder, name),
        community: {
          id: communityId,
          displayName: 'Lab',
          hostServer: lab().domain,
          username: name,
          useGlobalConnection: false,
          connection: { method: 'proxy', proxy: { type: 'http', host: http.host, port: http.port, resolveThroughProxy: true } },
        },
        password: account.password,
        caFile: lab().caFile,
      });
      await core.reaches('account:changed', (state) => state.lifecycle.state === 'online', 30_000, `${name} to connect`);
      return core;
    }

    beforeAll(async () => {
      folder = await mkdtemp(path.join(tmpdir(), 'burrow-files-lab-'));
      [alice, bob] = await Promise.all([start('alice'), start('bob')]);
      await addEachOther(communityId, [
        { core: alice, jid: jid('alice') },
        { core: bob, jid: jid('bob') },
      ]);
    }, 90_000);

    afterAll(async () => {
      await Promise.all([alice?.stop(), bob?.stop()]);
      await rm(folder, { recursive: true, force: true });
    });

    it('finds the server’s upload service and its size limit', async () => {
      expect(await alice.invoke('files:limit', { communityId })).toEqual({ available: true, maxBytes: upload.sizeLimit });
    });

    it('refuses a file over the limit before a byte is uploaded, saying the limit', async () => {
      const begun = alice.invoke('files:begin', { communityId, peer: jid('bob'), name: 'huge.iso', contentType: 'application/octet-stream', size: upload.sizeLimit + 1024 * 1024 });
      await expect(begun).rejects.toThrow('“huge.iso” is 9 MB; the server takes files up to 8 MB.');
    });

    it('uploads an image through the proxy with progress, sends its address, and bob fetches it byte for byte', async () => {
      const logBefore = proxyLog(lab()).length;
      const progress: number[] = [];
      const stopWatching = alice.on('files:progress', ({ sent, total }) => {
        expect(total).toBe(image.length);
        progress.push(sent);
      });
      const { transferId } = await alice.invoke('files:begin', { communityId, peer: jid('bob'), name: 'photo.png', contentType: 'image/png', size: image.length });
      for (let offset = 0; offset < image.length; offset += FILE_CHUNK_BYTES) {
        await alice.invoke('files:chunk', { communityId, transferId, offset, data: image.subarray(offset, offset + FILE_CHUNK_BYTES).toString('base64') });
      }
      const arrived = bob.waitFor('chat:message', (message) => message.direction === 'in' && message.body.startsWith(`https://${upload.domain}/`), 30_000, 'the file’s address at bob');
      const sent: MessageView = await alice.invoke('files:send', { communityId, transferId });
      stopWatching();
      expect(sent.body).toMatch(new RegExp(`^https://${upload.domain.replaceAll('.', '\\.')}/.+photo\\.png$`));
      expect(progress.at(-1)).toBe(image.length);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));

      const message = await arrived;
      expect(message.body).toBe(sent.body);
      const fetched = await bob.invoke('files:fetch', { communityId, url: message.body, purpose: 'preview' });
      expect(fetched).toMatchObject({ size: image.length, contentType: 'image/png' });
      const chunks: Buffer[] = [];
      for (let done = false, offset = 0; !done; ) {
        const chunk = await bob.invoke('files:read', { communityId, fetchId: fetched.fetchId, offset });
        const bytes = Buffer.from(chunk.data, 'base64');
        chunks.push(bytes);
        offset += bytes.length;
        done = chunk.done;
      }
      expect(sha256(Buffer.concat(chunks))).toBe(sha256(image));

      // Squid logs a tunnel once it closes: one for alice's upload, one for bob's download.
      await vi.waitFor(() => {
        const tunnels = proxyLog(lab(), logBefore).filter((line) => line.includes(`CONNECT ${upload.domain}:443`));
        expect(tunnels.length).toBeGreaterThanOrEqual(2);
      }, { timeout: 10_000, interval: 200 });
    });

    it('cancels an upload: its transfer is gone and nothing is sent', async () => {
      const { transferId } = await alice.invoke('files:begin', { communityId, peer: jid('bob'), name: 'draft.png', contentType: 'image/png', size: image.length });
      await alice.invoke('files:chunk', { communityId, transferId, offset: 0, data: image.subarray(0, FILE_CHUNK_BYTES).toString('base64') });
      await alice.invoke('files:cancel', { communityId, transferId });
      await expect(alice.invoke('files:send', { communityId, transferId })).rejects.toThrow('That file transfer is over or was cancelled.');
    });
  });
}
