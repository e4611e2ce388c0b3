import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the long fault runs (many crash rounds, long fuzzing, floods). One
 * file at a time: each starts and kills real services and measures their memory, which a
 * neighbour's load would distort.
 */
export default defineConfig({
  test: {
    // engine-failure again, with the disk failing and recovering eight times under live inserts.
    include: ['test/faults/**/*.fault.ts', 'test/reliability/engine-failure.test.ts'],
    env: { LICENSKOLL_TEST_FLAPS: '8' },
    testTimeout: 30 * 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
