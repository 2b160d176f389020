import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { isChatCommand, type MenuCommand } from '../../../electron/contract/menu.js';
import { burrow, isBrowserMode } from '../api/burrow.js';
import { AboutDialog } from './AboutDialog.js';
import { chatCommands } from './commands.js';
import { GettingStartedDialog } from './GettingStartedDialog.js';
import { MenuBar } from './MenuBar.js';
import { Notices } from './Notices.js';
import { useAppInfo } from './useAppInfo.js';

/**
 * The frame of the chat window. Electron draws the menu natively; browser mode draws the
 * same menu here, so the app is driven the same way in both.
 */
export function AppShell({ children }: { children: ReactNode }) {
  const { info, error } = useAppInfo();
  const [showAbout, setShowAbout] = useState(false);
  const [showGettingStarted, setShowGettingStarted] = useState(false);
  const [quit, setQuit] = useState(false);

  const onCommand = useCallback((command: MenuCommand) => {
    if (isChatCommand(command)) chatCommands.dispatch(command);
    else if (command === 'getting-started') setShowGettingStarted(true);
    else if (command === 'preferences') void burrow.invoke('window:openPreferences');
    else if (command === 'about') setShowAbout(true);
    else void burrow.invoke('app:quit').then(() => setQuit(true));
  }, []);

  // Electron's native menu sends the chat window its page's commands (New Chat…, Find…, Getting started).
  useEffect(() => burrow.on('menu:command', ({ command }) => onCommand(command)), [onCommand]);

  if (quit) {
    return (
      <main className="quit-screen">
        <h1>Burrow has quit</h1>
        <p>Run <code>npm run start:browser</code> to start it again.</p>
      </main>
    );
  }

  return (
    <div className="app-shell">
      {isBrowserMode && <MenuBar onCommand={onCommand} />}
      {error && (
        <p className="banner banner-error" role="alert">
          {error}
        </p>
      )}
      <Notices />
      {children}
      {showAbout && <AboutDialog info={info} onClose={() => setShowAbout(false)} />}
      {showGettingStarted && <GettingStartedDialog onClose={() => setShowGettingStarted(false)} />}
    </div>
  );
}
