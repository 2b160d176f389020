import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../styles.css';
import { AppShell } from '../shell/AppShell.js';
import { ChatWindow } from './ChatWindow.js';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AppShell>
      <ChatWindow />
    </AppShell>
  </StrictMode>,
);
