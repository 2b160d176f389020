import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ChatWindow } from './chat/ChatWindow.js';
import { PreferencesWindow } from './preferences/PreferencesWindow.js';
import { AppShell } from './shell/AppShell.js';
import { windowKindOf } from '../../electron/contract/windows.js';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

if (windowKindOf(location.search) === 'preferences') {
  document.title = 'Preferences';
  root.render(
    <StrictMode>
      <PreferencesWindow />
    </StrictMode>,
  );
} else {
  root.render(
    <StrictMode>
      <AppShell>
        <ChatWindow />
      </AppShell>
    </StrictMode>,
  );
}
