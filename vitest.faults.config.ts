import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the long fault runs (many crash rounds, long fuzzing, floods). One
 * file at a time: each starts and kills real services and measures their memory, which a
 * neighbour's load would distort.
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.fault.ts'],
    testTimeout: 30 * 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
