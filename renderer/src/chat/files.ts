/**
 * Sharing files from the page: a file goes to core in chunks over the contract (the page never
 * reaches the network itself), and a shared file comes back the same way as a Blob.
 */
import { FILE_CHUNK_BYTES, type BurrowApi, type MessageView } from '../../../electron/contract/contract.js';

/** A message whose whole body is one web address ending in a file name: a shared file (XEP-0363 sends it so). */
export interface SharedFile {
  url: string;
  name: string;
  /** By its name: worth asking core for a preview, which checks the bytes themselves. */
  looksLikeImage: boolean;
}

const imageNames = /\.(png|jpe?g|gif|webp)$/i;

export function sharedFileOf(body: string): SharedFile | null {
  if (/\s/.test(body) || !URL.canParse(body)) return null;
  const url = new URL(body);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  const last = url.pathname.split('/').pop() ?? '';
  let name: string;
  try {
    name = decodeURIComponent(last);
  } catch {
    return null;
  }
  if (!/^[^/]+\.[A-Za-z0-9]{1,10}$/.test(name)) return null;
  return { url: body, name, looksLikeImage: imageNames.test(name) };
}

/** A file or a pasted image, with the name and type to share it under. */
export interface FileToSend {
  blob: Blob;
  name: string;
  contentType: string;
}

export function fileToSend(file: File, fallbackName: string): FileToSend {
  const contentType = /^[\w.+-]+\/[\w.+-]+$/.test(file.type) ? file.type : 'application/octet-stream';
  return { blob: file, name: file.name.trim() || fallbackName, contentType };
}

/** Hands the file to core chunk by chunk, then has it uploaded and its address sent; `started` hears the transfer's id first. */
export async function shareFile(api: BurrowApi, communityId: string, peer: string, file: FileToSend, started: (transferId: string) => void): Promise<MessageView> {
  const { transferId } = await api.invoke('files:begin', { communityId, peer, name: file.name, contentType: file.contentType, size: file.blob.size });
  started(transferId);
  for (let offset = 0; offset < file.blob.size; offset += FILE_CHUNK_BYTES) {
    const bytes = new Uint8Array(await file.blob.slice(offset, offset + FILE_CHUNK_BYTES).arrayBuffer());
    await api.invoke('files:chunk', { communityId, transferId, offset, data: toBase64(bytes) });
  }
  return api.invoke('files:send', { communityId, transferId });
}

/** A shared file fetched by core along the session's path, as a Blob of the type core found. */
export async function fetchSharedFile(api: BurrowApi, communityId: string, url: string, purpose: 'preview' | 'download'): Promise<Blob> {
  const { fetchId, contentType } = await api.invoke('files:fetch', { communityId, url, purpose });
  const parts: Uint8Array<ArrayBuffer>[] = [];
  for (let offset = 0, done = false; !done; ) {
    const chunk = await api.invoke('files:read', { communityId, fetchId, offset });
    const bytes = fromBase64(chunk.data);
    parts.push(bytes);
    offset += bytes.length;
    done = chunk.done;
  }
  return new Blob(parts, { type: contentType });
}

/** Saves a Blob as the browser does a download: the user's browser or Electron asks where. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let index = 0; index < bytes.length; index += 0x8000) text += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  return btoa(text);
}

function fromBase64(data: string): Uint8Array<ArrayBuffer> {
  const text = atob(data);
  const bytes = new Uint8Array(text.length);
  for (let index = 0; index < text.length; index += 1) bytes[index] = text.charCodeAt(index);
  return bytes;
}
