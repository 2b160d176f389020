import { useEffect, useState } from 'react';
import type { AppInfo } from '../../../electron/contract/contract.js';
import { errorWords } from '../../../electron/contract/error-words.js';
import { burrow } from '../api/burrow.js';

export function useAppInfo(): { info: AppInfo | null; error: string | null } {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    burrow.invoke('app:getInfo').then(setInfo, (reason: unknown) => setError(errorWords(reason)));
  }, []);
  return { info, error };
}
