/**
 * A file shared through the network lab's proxy scenario (LAB.md S5: no direct access, an HTTP
 * proxy allowing CONNECT to 443 only, method "Use proxy"), on each of the lab's servers. alice's and bob's Burrows are set up
 * through the contract as Preferences would (the proxy, the lab's CA) and made contacts; then, in
 * the chat window, alice sees the server's limit, is refused a file over it, and sends bob an image
 * with a progress bar; bob sees it previewed and downloads it byte for byte. Squid's log shows the
 * file went through the proxy, as the session did.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

import type { Page } from '@playwright/test';

import { serverKinds, type Lab } from '../lab/lab.js';
import { upload } from '../lab/topology.js';
import { invokeOverSocket } from './contract-socket.js';
import { expect, test } from './fixtures.js';
import { burrowInLab } from './in-lab.js';

interface Person {
  name: 'alice' | 'bob';
  account: Lab['accounts'][number];
  window: Page;
}

const communityId = 'lab';
const imageName = 'holiday.png';
const image = noisePng(1200, 1200);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

for (const server of serverKinds) test.describe(`Sharing a file through the proxy (S5) on ${server}`, () => {
  test.describe.configure({ mode: 'serial' });
  const inLab = burrowInLab('S5', { apps: 2, server });

  function people(): { alice: Person; bob: Person } {
    const [alice, bob] = inLab.lab().accounts;
    if (!alice || !bob) throw new Error('the lab has no alice and bob');
    return { alice: { name: 'alice', account: alice, window: inLab.app(0).window }, bob: { name: 'bob', account: bob, window: inLab.app(1).window } };
  }

  const screenshot = ({ name, window }: Person, step: string) => window.screenshot({ path: test.info().outputPath(`${server}-${name}-${step}.png`) });
  const conversation = ({ window }: Person, title: string | RegExp) => window.getByRole('log', { name: title });
  const invoke = async ({ window }: Person, channel: string, payload: unknown): Promise<unknown> => {
    const outcome = (await invokeOverSocket(window, channel, payload)) as { ok: boolean; value?: unknown; error?: { message: string } };
    if (!outcome.ok) throw new Error(`${channel}: ${outcome.error?.message}`);
    return outcome.value;
  };

  /** What Preferences saves for "Use proxy" (HTTP, the lab's proxy) with the lab's CA trusted, then online. */
  async function signInThroughProxy(person: Person): Promise<void> {
    const lab = inLab.lab();
    const { settings } = (await invoke(person, 'settings:get', undefined)) as { settings: Record<string, unknown> & { connection: Record<string, unknown> } };
    const community = {
      id: communityId,
      displayName: 'Lab chat',
      hostServer: lab.domain,
      username: person.account.username,
      useGlobalConnection: false,
      connection: { method: 'proxy', proxy: { type: 'http', host: lab.proxies.http.host, port: lab.proxies.http.port, resolveThroughProxy: true } },
    };
    await invoke(person, 'settings:save', {
      settings: { ...settings, connection: { ...settings.connection, trustedCaPem: await readFile(lab.caFile, 'utf8') }, communities: [community] },
      passwords: [{ key: `community:${communityId}:password`, value: person.account.password }],
    });
    await expect(person.window.getByRole('status', { name: 'Lab chat' })).toContainText('Connected · ', { timeout: 30_000 });
    await expect(person.window.getByRole('status', { name: 'Lab chat' })).toContainText('HTTP proxy');
  }

  test('alice and bob sign in through the proxy and become contacts', async () => {
    test.setTimeout(90_000);
    const { alice, bob } = people();
    await Promise.all([signInThroughProxy(alice), signInThroughProxy(bob)]);
    await invoke(alice, 'roster:add', { communityId, jid: bob.account.jid, name: 'Bob' });
    await expect.poll(async () => ((await invoke(bob, 'roster:get', { communityId })) as { requests: string[] }).requests, { timeout: 15_000 }).toContain(alice.account.jid);
    await invoke(bob, 'subscription:answer', { communityId, jid: alice.account.jid, accept: true });
    await expect(alice.window.getByRole('list', { name: 'Contacts' }).getByRole('button', { name: /^Bob/ })).toBeVisible({ timeout: 15_000 });
    await expect(bob.window.getByRole('list', { name: 'Contacts' }).getByRole('button', { name: alice.account.jid })).toBeVisible({ timeout: 15_000 });
  });

  test('alice sees the server’s limit, is refused a file over it, and sends an image with a progress bar', async () => {
    test.setTimeout(60_000);
    const { alice } = people();
    const { window } = alice;
    await window.getByRole('list', { name: 'Contacts' }).getByRole('button', { name: /^Bob/ }).click();
    await expect(window.getByText('Files up to 8 MB.')).toBeVisible();
    await expect(window.getByRole('button', { name: 'Attach a file' })).toBeVisible();

    const fileInput = window.getByLabel('File to send');
    await fileInput.setInputFiles({ name: 'film.mp4', mimeType: 'video/mp4', buffer: Buffer.alloc(upload.sizeLimit + 1024 * 1024) });
    await expect(window.getByRole('alert')).toContainText('“film.mp4” is 9 MB; the server takes files up to 8 MB.');
    await screenshot(alice, 'file-too-large');

    await fileInput.setInputFiles({ name: imageName, mimeType: 'image/png', buffer: image });
    const progress = window.getByRole('progressbar', { name: `Sending ${imageName}` });
    await expect(progress).toBeVisible();
    await expect(window.getByRole('button', { name: `Cancel sending ${imageName}` })).toBeVisible();
    await screenshot(alice, 'image-uploading');
    await expect(progress).toBeHidden({ timeout: 30_000 });
    const sent = conversation(alice, 'Messages with Bob').getByRole('img', { name: imageName });
    await expect(sent).toBeVisible({ timeout: 15_000 });
    await screenshot(alice, 'image-sent');
  });

  test('bob sees the image previewed and downloads it byte for byte, through the proxy', async () => {
    test.setTimeout(60_000);
    const { alice, bob } = people();
    const { window } = bob;
    await window.getByRole('list', { name: 'Contacts' }).getByRole('button', { name: alice.account.jid }).click();
    const log = conversation(bob, `Messages with ${alice.account.jid}`);
    await expect(log.getByRole('img', { name: imageName })).toBeVisible({ timeout: 15_000 });
    await screenshot(bob, 'image-previewed');

    const downloading = window.waitForEvent('download');
    await log.getByRole('button', { name: `Download ${imageName}` }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(imageName);
    const saved = test.info().outputPath(`${server}-bob-${imageName}`);
    await download.saveAs(saved);
    expect(sha256(await readFile(saved))).toBe(sha256(image));

    // Squid logs a tunnel when it closes: alice's upload, then bob's preview and download, all to the upload service.
    await expect
      .poll(async () => (await squidLog(inLab.lab())).filter((line) => line.includes(`CONNECT ${upload.domain}:443`)).length, { timeout: 15_000 })
      .toBeGreaterThanOrEqual(3);
  });
});

async function squidLog(lab: Lab): Promise<string[]> {
  return (await readFile(path.join(lab.dir, 'squid', 'access.log'), 'utf8')).split('\n').filter(Boolean);
}

/** A real PNG of random pixels (so it is large and shows as an image): RGB, stored without compression. */
function noisePng(width: number, height: number): Buffer {
  const row = 1 + width * 3;
  const pixels = randomBytes(row * height);
  for (let y = 0; y < height; y++) pixels[y * row] = 0;
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(pixels, { level: 0 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function crc32(bytes: Buffer): number {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}
