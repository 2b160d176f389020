import { configDefaults, defineConfig } from 'vitest/config';

// The network lab's own checks and core's integration tests against it: they share one set of
// namespaces, so files run one after another.
export default defineConfig({
  test: {
    include: ['lab/**/*.test.ts', 'electron/**/*.lab.test.ts'],
    // The storm counters fail until the account's backoff stops resetting (issue 13); BURROW_STORM=1
    // runs them now, and deleting this line puts them in the lab suite for good.
    exclude: [...configDefaults.exclude, ...(process.env.BURROW_STORM ? [] : ['**/*.storm.lab.test.ts'])],
    fileParallelism: false,
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 180_000,
    globalSetup: ['lab/global-setup.ts'],
  },
});
