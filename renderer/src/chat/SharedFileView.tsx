import { useEffect, useState } from 'react';
import type { SharedFile } from './files.js';

/** A shared file in a message: an image shown inline (fetched through core, checked there by its bytes), any file with Download. */
export function SharedFileView({ file, fetchFile, onDownload }: { file: SharedFile; fetchFile: (url: string, purpose: 'preview') => Promise<Blob>; onDownload: (file: SharedFile) => void }) {
  const [preview, setPreview] = useState<string | null>(null);
  useEffect(() => {
    if (!file.looksLikeImage) return;
    let live = true;
    let objectUrl: string | null = null;
    fetchFile(file.url, 'preview').then(
      (blob) => {
        if (!live) return;
        objectUrl = URL.createObjectURL(blob);
        setPreview(objectUrl);
      },
      // No preview: the file is still there to download.
      () => undefined,
    );
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [file.url, file.looksLikeImage, fetchFile]);
  return (
    <span className="shared-file">
      {preview ? (
        <img className="shared-image" src={preview} alt={file.name} />
      ) : (
        <span className="shared-file-name">{file.name}</span>
      )}
      <button type="button" className="link-button" aria-label={`Download ${file.name}`} onClick={() => onDownload(file)}>
        Download
      </button>
    </span>
  );
}
