/**
 * The files part of the contract: sharing a file (XEP-0363 HTTP File Upload) and fetching one that
 * was shared. File bytes cross in base64 chunks small enough for browser mode's WebSocket frames
 * and for Electron IPC alike; core keeps them on disk, never a whole file in memory.
 */
import { z } from 'zod';

import { ConversationPeer, MessageView } from './messaging.js';

/** Bytes per chunk, before base64: well under browser mode's 1 MiB message limit once encoded. */
export const FILE_CHUNK_BYTES = 256 * 1024;
/** The largest image shown inline: a preview is fetched whole before it is shown. */
export const MAX_PREVIEW_BYTES = 8 * 1024 * 1024;
/** The largest file Burrow downloads. */
export const MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024;

const CommunityId = z.string().min(1);
const TransferId = z.uuid();
/** base64 of at most FILE_CHUNK_BYTES bytes. */
const Chunk = z.base64().max(Math.ceil(FILE_CHUNK_BYTES / 3) * 4);
const ContentType = z
  .string()
  .max(255)
  .regex(/^[\w.+-]+\/[\w.+-]+$/, 'a content type looks like image/png');

/** What the server takes: null maxBytes when it names no limit; `available` false when it offers no upload. */
export const UploadLimitView = z.strictObject({ available: z.boolean(), maxBytes: z.number().int().positive().nullable() });
export type UploadLimitView = z.infer<typeof UploadLimitView>;

export const FetchedFileView = z.strictObject({
  fetchId: TransferId,
  size: z.number().int().nonnegative(),
  /** For a preview, the type its bytes show (never only what the server said). */
  contentType: z.string(),
});
export type FetchedFileView = z.infer<typeof FetchedFileView>;

export const fileRequests = {
  /** The server's upload service and its size limit, shown before a file is picked. */
  'files:limit': { request: z.strictObject({ communityId: CommunityId }), response: UploadLimitView },
  /** Starts sharing a file: refused at once when over the server's limit. The bytes follow in `files:chunk`, in order. */
  'files:begin': {
    request: z.strictObject({
      communityId: CommunityId,
      peer: ConversationPeer,
      name: z.string().trim().min(1).max(255),
      contentType: ContentType,
      size: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    }),
    response: z.strictObject({ transferId: TransferId }),
  },
  'files:chunk': {
    request: z.strictObject({ communityId: CommunityId, transferId: TransferId, offset: z.number().int().nonnegative(), data: Chunk }),
    response: z.undefined(),
  },
  /** Every byte given: uploads it along the session's path (progress in `files:progress`), then sends its address as a message. */
  'files:send': { request: z.strictObject({ communityId: CommunityId, transferId: TransferId }), response: MessageView },
  /** Stops a transfer at any point and forgets its bytes. */
  'files:cancel': { request: z.strictObject({ communityId: CommunityId, transferId: TransferId }), response: z.undefined() },
  /** Fetches a shared file along the session's path: a preview must be an image (by its bytes) of at most MAX_PREVIEW_BYTES. */
  'files:fetch': {
    request: z.strictObject({
      communityId: CommunityId,
      url: z.url({ protocol: /^https?$/, normalize: true }).max(8192),
      purpose: z.enum(['preview', 'download']),
    }),
    response: FetchedFileView,
  },
  /** A chunk of a fetched file from `offset`; `done` once the file is read to its end, which also lets it go. */
  'files:read': {
    request: z.strictObject({ communityId: CommunityId, fetchId: TransferId, offset: z.number().int().nonnegative() }),
    response: z.strictObject({ data: Chunk, done: z.boolean() }),
  },
} as const;

export const fileEvents = {
  /** An upload's bytes sent so far, of `total`. */
  'files:progress': z.strictObject({ communityId: z.string(), transferId: TransferId, sent: z.number().int().nonnegative(), total: z.number().int().nonnegative() }),
} as const;
