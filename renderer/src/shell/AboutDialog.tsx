import type { AppInfo } from '../../../electron/contract/contract.js';
import { ModalDialog } from './ModalDialog.js';

export function AboutDialog({ info, onClose }: { info: AppInfo | null; onClose: () => void }) {
  return (
    <ModalDialog title="About Burrow" onClose={onClose}>
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
    </ModalDialog>
  );
}
