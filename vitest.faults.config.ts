import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the long fault runs (many crash rounds, long fuzzing, floods). One
 * file at a time: each starts and kills real services and measures their memory, which a
 * neighbour's load would distort.
 */
export default defineConfig({
  test: {
    // engine-failure again, with the disk failing and recovering eight times under live inserts;
    // swap again, with six organisation imports and six roster snapshots under reports.
    include: ['test/faults/**/*.fault.ts', 'test/reliability/engine-failure.test.ts', 'test/reliability/swap.test.ts'],
    env: { LICENSKOLL_TEST_FLAPS: '8', LICENSKOLL_TEST_SWAP_ROUNDS: '6' },
    testTimeout: 30 * 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
