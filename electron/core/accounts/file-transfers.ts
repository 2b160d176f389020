/**
 * One account's file transfers: a file to share arrives in chunks and waits on disk, then goes to
 * the server's upload service (XEP-0363) along the session's own path, and its address goes out as
 * a message; a shared file is fetched along that path to disk and read back in chunks. Nothing is
 * held whole in memory, and every transfer can be cancelled.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

import { FILE_CHUNK_BYTES, MAX_DOWNLOAD_BYTES, MAX_PREVIEW_BYTES } from '../../contract/files.js';
import type { FetchedFileView, UploadLimitView } from '../../contract/files.js';
import { tooLargeWords, uploadRefusalWords } from '../../contract/file-words.js';
import { HandlerError } from '../../contract/validate.js';
import { getFile, putFile } from '../connection/http-transfer.js';
import type { TransferRoute } from '../connection/http-transfer.js';
import type { HistoryMessage } from '../session/history.js';
import type { Session } from '../session/session.js';
import { SlotRefusedError } from '../session/upload-slots.js';
import { imageTypeOf } from './image-magic.js';

export interface FileTransfersDeps {
  communityId: string;
  /** Where staged and fetched files wait; emptied at start and on close. */
  folder: string;
  /** The signed-in session; throws when there is none. */
  liveSession: () => Session;
  /** The route the session's path took; throws when there is none. */
  route: () => TransferRoute;
  onProgress: (progress: { communityId: string; transferId: string; sent: number; total: number }) => void;
}

interface Outgoing {
  peer: string;
  name: string;
  contentType: string;
  size: number;
  path: string;
  handle: FileHandle | null;
  written: number;
  abort: AbortController;
}

interface Fetched {
  path: string;
  size: number;
}

/** Files being given or sent at once: each waits on disk until sent or cancelled. */
const maxOutgoing = 8;
/** Fetched files not read to their end are let go past this many. */
const maxFetchedKept = 16;
/** Progress is told at most this often per transfer, and at its end. */
const progressEveryMs = 100;

export class FileTransfers {
  private readonly outgoing = new Map<string, Outgoing>();
  private readonly fetched = new Map<string, Fetched>();

  constructor(private readonly deps: FileTransfersDeps) {
    rmSync(deps.folder, { recursive: true, force: true });
    mkdirSync(deps.folder, { recursive: true });
  }

  async limit(): Promise<UploadLimitView> {
    const service = await this.deps.liveSession().uploadService();
    return { available: service !== null, maxBytes: service?.maxBytes ?? null };
  }

  /** Refused before a byte is taken when the server's limit says the file is too large. */
  async begin(file: { peer: string; name: string; contentType: string; size: number }): Promise<string> {
    const service = await this.deps.liveSession().uploadService();
    if (!service) throw new HandlerError('failed', 'This server does not take files.');
    if (service.maxBytes !== null && file.size > service.maxBytes) throw new HandlerError('invalid-payload', tooLargeWords(file.name, file.size, service.maxBytes));
    if (this.outgoing.size >= maxOutgoing) throw new HandlerError('failed', `At most ${maxOutgoing} files can be on their way at once; wait for one to be sent.`);
    const transferId = randomUUID();
    const path = join(this.deps.folder, transferId);
    this.outgoing.set(transferId, { ...file, path, handle: await open(path, 'w'), written: 0, abort: new AbortController() });
    return transferId;
  }

  async chunk(transferId: string, offset: number, data: string): Promise<void> {
    const transfer = this.requireOutgoing(transferId);
    const bytes = Buffer.from(data, 'base64');
    if (!transfer.handle) throw new HandlerError('invalid-payload', 'The file is already being sent.');
    if (offset !== transfer.written) throw new HandlerError('invalid-payload', `Expected the bytes from ${transfer.written}, not from ${offset}.`);
    if (transfer.written + bytes.length > transfer.size) throw new HandlerError('invalid-payload', `More bytes than the ${transfer.size} announced.`);
    await transfer.handle.write(bytes);
    transfer.written += bytes.length;
  }

  /** Uploads the staged file and sends its address; the transfer is gone afterwards, sent or not. */
  async send(transferId: string): Promise<HistoryMessage> {
    const transfer = this.requireOutgoing(transferId);
    if (transfer.written !== transfer.size) throw new HandlerError('invalid-payload', `Only ${transfer.written} of ${transfer.size} bytes were given.`);
    try {
      await transfer.handle?.close();
      transfer.handle = null;
      const session = this.deps.liveSession();
      const { name, size, contentType, abort } = transfer;
      const slot = await session.uploadSlot({ name, size, contentType }).catch((error: unknown) => {
        if (error instanceof SlotRefusedError) throw new HandlerError('failed', uploadRefusalWords(name, size, error.refusal));
        throw error;
      });
      abort.signal.throwIfAborted();
      const tell = this.progressTeller(transferId, size);
      await putFile(slot.putUrl, { path: transfer.path, size, contentType, headers: slot.headers }, this.deps.route(), { signal: abort.signal, onProgress: tell });
      tell(size, true);
      return await session.shareFile(transfer.peer, slot.getUrl.href);
    } catch (error) {
      if (transfer.abort.signal.aborted) throw new HandlerError('failed', 'Cancelled.');
      throw error;
    } finally {
      await this.dropOutgoing(transferId);
    }
  }

  async cancel(transferId: string): Promise<void> {
    const transfer = this.outgoing.get(transferId);
    if (!transfer) return;
    transfer.abort.abort();
    await this.dropOutgoing(transferId);
  }

  /** A preview must be an image by its bytes; what it is comes from them, not from the server. */
  async fetch(url: string, purpose: 'preview' | 'download'): Promise<FetchedFileView> {
    const fetchId = randomUUID();
    const path = join(this.deps.folder, fetchId);
    const maxBytes = purpose === 'preview' ? MAX_PREVIEW_BYTES : MAX_DOWNLOAD_BYTES;
    try {
      const got = await getFile(new URL(url), path, maxBytes, this.deps.route(), { signal: AbortSignal.timeout(10 * 60_000) });
      const imageType = imageTypeOf(await head(path));
      if (purpose === 'preview' && !imageType) throw new HandlerError('failed', 'The file is not an image Burrow shows.');
      this.keepFetched(fetchId, { path, size: got.size });
      return { fetchId, size: got.size, contentType: imageType ?? got.contentType ?? 'application/octet-stream' };
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }

  /** Reading to the end lets the fetched file go. */
  async read(fetchId: string, offset: number): Promise<{ data: string; done: boolean }> {
    const file = this.fetched.get(fetchId);
    if (!file) throw new HandlerError('failed', 'That file is no longer here; fetch it again.');
    const handle = await open(file.path, 'r');
    try {
      const buffer = Buffer.alloc(Math.max(0, Math.min(FILE_CHUNK_BYTES, file.size - offset)));
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset);
      const done = offset + bytesRead >= file.size;
      if (done) await this.dropFetched(fetchId);
      return { data: buffer.subarray(0, bytesRead).toString('base64'), done };
    } finally {
      await handle.close();
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.outgoing.keys()].map((transferId) => this.cancel(transferId)));
    rmSync(this.deps.folder, { recursive: true, force: true });
    this.fetched.clear();
  }

  private progressTeller(transferId: string, total: number): (sent: number, last?: boolean) => void {
    let toldAt = 0;
    return (sent, last = false) => {
      const now = Date.now();
      if (!last && now - toldAt < progressEveryMs) return;
      toldAt = now;
      this.deps.onProgress({ communityId: this.deps.communityId, transferId, sent, total });
    };
  }

  private requireOutgoing(transferId: string): Outgoing {
    const transfer = this.outgoing.get(transferId);
    if (!transfer) throw new HandlerError('failed', 'That file transfer is over or was cancelled.');
    return transfer;
  }

  private async dropOutgoing(transferId: string): Promise<void> {
    const transfer = this.outgoing.get(transferId);
    if (!transfer) return;
    this.outgoing.delete(transferId);
    await transfer.handle?.close().catch(() => {});
    await rm(transfer.path, { force: true });
  }

  private keepFetched(fetchId: string, file: Fetched): void {
    this.fetched.set(fetchId, file);
    const [oldest] = this.fetched.keys();
    if (this.fetched.size > maxFetchedKept && oldest !== undefined) void this.dropFetched(oldest);
  }

  private async dropFetched(fetchId: string): Promise<void> {
    const file = this.fetched.get(fetchId);
    this.fetched.delete(fetchId);
    if (file) await rm(file.path, { force: true });
  }
}

async function head(path: string): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(16);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
