import { useEffect, useState } from 'react';
import type { BurrowApi, SettingsView } from '../../../electron/contract/contract.js';
import { errorWords } from '../../../electron/contract/error-words.js';

export type SettingsViewState = { status: 'loading' } | { status: 'failed'; error: string } | { status: 'ready'; view: SettingsView };

/** The settings as stored, kept current: the chat window only needs to know which communities exist. */
export function useSettingsView(api: BurrowApi): SettingsViewState {
  const [state, setState] = useState<SettingsViewState>({ status: 'loading' });
  useEffect(() => {
    const unsubscribe = api.on('settings:changed', (view) => setState({ status: 'ready', view }));
    api.invoke('settings:get').then(
      (view) => setState((current) => (current.status === 'ready' ? current : { status: 'ready', view })),
      (error: unknown) => setState({ status: 'failed', error: errorWords(error) }),
    );
    return unsubscribe;
  }, [api]);
  return state;
}
