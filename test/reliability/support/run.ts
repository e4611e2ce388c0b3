import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { RunningServer } from '../../helpers/server.ts';
import { seedFromEnv } from './prng.ts';

/**
 * What every reliability run starts from: its seed (printed in the suite's name, so a failure can
 * be rerun), a data directory of its own, and, after the suite, the service it drove killed and
 * the directory removed. `server` reads the suite's current service, which restarts replace.
 */
export function reliabilityRun(name: string, server: () => RunningServer | undefined) {
  const run = { seed: seedFromEnv(), dataDir: mkdtempSync(join(tmpdir(), `licenskoll-${name}-`)) };
  afterAll(async () => {
    await server()?.kill();
    rmSync(run.dataDir, { recursive: true, force: true });
  });
  return run;
}
