import { useState } from 'react';
import type { BurrowApi, ConnectionTestResult } from '../../../electron/contract/contract.js';
import { connectionReport, reportFileName, reportText, type ConnectionReport } from '../../../electron/contract/connection-report.js';
import { errorWords } from '../../../electron/contract/error-words.js';

/** "Copy report" (text, for an email or a ticket) and "Save report…" (JSON, for tools): without secrets. */
export function ReportActions({ result, community, api }: { result: ConnectionTestResult; community: string; api: BurrowApi }) {
  const [status, setStatus] = useState('');

  const report = async (): Promise<ConnectionReport> => connectionReport(result, { info: await api.invoke('app:getInfo'), community, createdAt: new Date() });

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(reportText(await report()));
      setStatus('Report copied: paste it into an email or a ticket for your help desk.');
    } catch (error) {
      setStatus(`The report could not be copied: ${errorWords(error)}`);
    }
  };

  const save = async () => {
    const saved = await report();
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([`${JSON.stringify(saved, null, 2)}\n`], { type: 'application/json' }));
    link.download = reportFileName(saved);
    link.click();
    URL.revokeObjectURL(link.href);
    setStatus(`Report saved as ${link.download}.`);
  };

  return (
    <div className="report-actions">
      <button type="button" onClick={() => void copy()}>
        Copy report
      </button>
      <button type="button" onClick={() => void save()}>
        Save report…
      </button>
      <span className="field-note" role="status">
        {status}
      </span>
    </div>
  );
}
