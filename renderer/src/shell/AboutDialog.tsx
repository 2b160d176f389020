import { useEffect, useRef } from 'react';
import type { AppInfo } from '../../../electron/contract/contract.js';

export function AboutDialog({ info, onClose }: { info: AppInfo | null; onClose: () => void }) {
  const dialogRef = useRef<HTMLDialogElement>(null);
  useEffect(() => dialogRef.current?.showModal(), []);
  return (
    <dialog ref={dialogRef} className="dialog" aria-labelledby="about-title" onClose={onClose}>
      <h2 id="about-title">About Burrow</h2>
      <p>A desktop messenger that gets through.</p>
      {info && (
        <dl className="facts">
          <dt>Version</dt>
          <dd>{info.version}</dd>
          <dt>Running in</dt>
          <dd>{info.mode === 'browser' ? 'browser mode' : 'Electron'} · {info.runtime}</dd>
          <dt>Data folder</dt>
          <dd>{info.dataDir}</dd>
        </dl>
      )}
      <form method="dialog">
        <button type="submit" autoFocus>
          Close
        </button>
      </form>
    </dialog>
  );
}
