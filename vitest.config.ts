import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'ingest/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'dashboards/src/**/*.test.{ts,tsx}'],
    // Long fault runs have their own command (npm run test:faults); benchmarks print, they do not assert.
    exclude: ['**/node_modules/**', 'test/faults/**', 'test/bench/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // The embedded engine binds one data directory per process: each test file gets its own fork.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
