import { defineConfig } from 'vitest/config';

// The network lab's own checks and core's integration tests against it: they share one set of
// namespaces, so files run one after another.
export default defineConfig({
  test: {
    include: ['lab/**/*.test.ts', 'electron/**/*.lab.test.ts'],
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    globalSetup: ['lab/global-setup.ts'],
  },
});
