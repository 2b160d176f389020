import { useCallback, useEffect, useRef, useState } from 'react';
import type { BurrowApi, MessageView, UploadLimitView } from '../../../electron/contract/contract.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { tooLargeWords, uploadLimitWords } from '../../../electron/contract/file-words.js';
import { fetchSharedFile, fileToSend, saveBlob, shareFile, type SharedFile } from './files.js';

/** A file on its way: `transferId` once core has taken it. */
export interface UploadView {
  key: number;
  transferId: string | null;
  name: string;
  sent: number;
  total: number;
}

export interface FileSharing {
  /** The server's limit in words, once known. */
  limitWords: string | null;
  uploads: readonly UploadView[];
  share: (file: File) => void;
  cancel: (key: number) => void;
  fetchFile: (url: string, purpose: 'preview' | 'download') => Promise<Blob>;
  download: (file: SharedFile) => void;
}

/** Previews kept per conversation (each at most MAX_PREVIEW_BYTES, most much less). */
const keptPreviews = 24;

/** Sharing files in one conversation: the server's limit, the uploads under way with their progress, and fetching what was shared. */
export function useFileSharing(
  api: BurrowApi,
  { communityId, peer, online }: { communityId: string; peer: string; online: boolean },
  onSent: (message: MessageView) => void,
  onError: (message: string) => void,
): FileSharing {
  const [limit, setLimit] = useState<UploadLimitView | null>(null);
  const [uploads, setUploads] = useState<UploadView[]>([]);
  const nextKey = useRef(0);

  useEffect(() => {
    if (!online) return;
    let live = true;
    api.invoke('files:limit', { communityId }).then(
      (found) => live && setLimit(found),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [api, communityId, online]);

  useEffect(
    () =>
      api.on('files:progress', (progress) => {
        if (progress.communityId !== communityId) return;
        setUploads((current) => current.map((upload) => (upload.transferId === progress.transferId ? { ...upload, sent: progress.sent, total: progress.total } : upload)));
      }),
    [api, communityId],
  );

  // Stable, so that a preview shown is not fetched again on every render; and a preview scrolled
  // out of the virtual list and back is taken from the few kept, not fetched again.
  const previews = useRef(new Map<string, Promise<Blob>>());
  const fetchFile = useCallback(
    (url: string, purpose: 'preview' | 'download') => {
      if (purpose === 'download') return fetchSharedFile(api, communityId, url, purpose);
      const kept = previews.current.get(url);
      if (kept) return kept;
      const fetching = fetchSharedFile(api, communityId, url, purpose);
      previews.current.set(url, fetching);
      fetching.catch(() => previews.current.delete(url));
      const [oldest] = previews.current.keys();
      if (previews.current.size > keptPreviews && oldest !== undefined) previews.current.delete(oldest);
      return fetching;
    },
    [api, communityId],
  );
  const download = useCallback(
    (file: SharedFile) =>
      void fetchSharedFile(api, communityId, file.url, 'download').then(
        (blob) => saveBlob(blob, file.name),
        (reason: unknown) => onError(`“${file.name}” could not be downloaded: ${errorWords(reason)}`),
      ),
    [api, communityId, onError],
  );

  const update = (key: number, change: Partial<UploadView>) => setUploads((current) => current.map((upload) => (upload.key === key ? { ...upload, ...change } : upload)));

  return {
    limitWords: limit ? uploadLimitWords(limit) : null,
    uploads,
    share: (file) => {
      const toSend = fileToSend(file, `pasted-${new Date().toISOString().replace(/[:.]/g, '-')}.png`);
      if (limit?.maxBytes != null && toSend.blob.size > limit.maxBytes) {
        onError(tooLargeWords(toSend.name, toSend.blob.size, limit.maxBytes));
        return;
      }
      const key = nextKey.current++;
      setUploads((current) => [...current, { key, transferId: null, name: toSend.name, sent: 0, total: toSend.blob.size }]);
      shareFile(api, communityId, peer, toSend, (transferId) => update(key, { transferId }))
        .then(onSent)
        .catch((reason: unknown) => onError(`“${toSend.name}” was not sent: ${errorWords(reason)}`))
        .finally(() => setUploads((current) => current.filter((upload) => upload.key !== key)));
    },
    cancel: (key) => {
      const upload = uploads.find((candidate) => candidate.key === key);
      if (upload?.transferId) void api.invoke('files:cancel', { communityId, transferId: upload.transferId }).catch(() => undefined);
    },
    fetchFile,
    download,
  };
}
