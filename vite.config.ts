import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The renderer: two pages (chat window, Preferences) built into dist/renderer. */
export default defineConfig({
  root: resolve(import.meta.dirname, 'renderer'),
  base: './',
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/renderer'),
    emptyOutDir: true,
    target: 'chrome120',
    rollupOptions: {
      input: {
        chat: resolve(import.meta.dirname, 'renderer/index.html'),
        preferences: resolve(import.meta.dirname, 'renderer/preferences.html'),
      },
    },
  },
});
