import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../styles.css';
import { PreferencesWindow } from './PreferencesWindow.js';

document.title = 'Preferences';
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <PreferencesWindow />
  </StrictMode>,
);
