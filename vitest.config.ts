import { defineConfig } from 'vitest/config';

/** Unit tests: fast, no network beyond loopback, no lab. The lab's suite is vitest.lab.config.ts. */
export default defineConfig({
  test: {
    include: ['electron/**/*.test.ts', 'renderer/**/*.test.{ts,tsx}', 'scripts/**/*.test.ts', 'bench/**/*.test.ts', '*.test.ts'],
    exclude: ['**/*.lab.test.ts', 'node_modules/**', 'dist/**'],
    testTimeout: 15_000,
  },
});
