import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The preload, bundled into one CommonJS file: sandboxed preloads cannot load local modules. */
export default defineConfig({
  build: {
    outDir: resolve(import.meta.dirname, 'dist/preload'),
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    lib: {
      entry: resolve(import.meta.dirname, 'electron/preload/preload.ts'),
      formats: ['cjs'],
      fileName: () => 'preload.cjs',
    },
    rollupOptions: { external: ['electron'] },
  },
});
