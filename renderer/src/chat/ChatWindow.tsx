import { useEffect, useState } from 'react';
import type { BurrowApi } from '../../../electron/contract/contract.js';
import { burrow, isBrowserMode } from '../api/burrow.js';
import { chatCommands, type ChatCommandSource } from '../shell/commands.js';
import { FirstRun } from './FirstRun.js';
import { reportIdleTime } from './idleReport.js';
import { policyCommunityToComplete } from './firstRunCommunity.js';
import { AvatarProvider } from './avatars.js';
import { Messenger } from './Messenger.js';
import { useMessaging } from './useMessaging.js';
import { useSettingsView } from './useSettingsView.js';

export interface ChatWindowProps {
  /** The contract; tests pass a fake. */
  api?: BurrowApi;
  /** New Chat… and Find… from the application menu. */
  commands?: ChatCommandSource;
  /** Show desktop notifications from the page (browser mode; Electron's main process shows its own). */
  pageNotifications?: boolean;
  /** Tell core how long the page has been left untouched, for away when idle (browser mode; Electron asks the system). */
  reportIdle?: boolean;
}

/** The chat window: the first-run flow until a community exists and an administrator's has its password, then the messenger. */
export function ChatWindow({ api = burrow, commands = chatCommands, pageNotifications = isBrowserMode, reportIdle = isBrowserMode }: ChatWindowProps) {
  const settings = useSettingsView(api);
  useEffect(() => {
    if (!reportIdle) return;
    // Only a hint for the status: a report that does not arrive is made up by the next.
    return reportIdleTime((idleMs) => void api.invoke('presence:idle', { idleMs }).catch(() => undefined));
  }, [api, reportIdle]);
  const messaging = useMessaging(api);
  /** started: the first-run flow is saving or has saved a community, and stays until finished. */
  const [firstRun, setFirstRun] = useState({ started: false, finished: false });

  if (settings.status !== 'ready') {
    return (
      <main className="chat-window chat-window-message">
        {settings.status === 'loading' ? (
          <p className="loading">Loading…</p>
        ) : (
          <p className="banner banner-error" role="alert">
            Burrow could not load your settings: {settings.error}
          </p>
        )}
      </main>
    );
  }

  const { view } = settings;
  const inFirstRun = !firstRun.finished && (view.communities.length === 0 || firstRun.started || policyCommunityToComplete(view) !== undefined);
  if (inFirstRun) {
    return (
      <main className="chat-window chat-window-first-run">
        <FirstRun
          api={api}
          view={view}
          accounts={messaging.state.accounts}
          onStarted={() => setFirstRun((current) => ({ ...current, started: true }))}
          onAccounts={(accounts) => messaging.apply({ type: 'accounts', accounts })}
          onFinished={() => setFirstRun((current) => ({ ...current, finished: true }))}
        />
      </main>
    );
  }
  return (
    <AvatarProvider api={api}>
      <Messenger api={api} messaging={messaging} commands={commands} pageNotifications={pageNotifications} />
    </AvatarProvider>
  );
}
