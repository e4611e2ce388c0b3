import { openStorage } from '@licenskoll/storage';
import { benchConfig } from './bench-config.ts';

/**
 * Child process: forgets the resolution cache of a store, so that the service's first report
 * after it starts is read live, as after a roster import (the cache is derived data).
 */
const storage = await openStorage(benchConfig(process.argv[2]));
for (const t of ['rc_builds', 'rc_usage', 'rc_sig', 'rc_candidates', 'rc_claims', 'rc_members']) {
  await storage.write.command({ query: `TRUNCATE TABLE IF EXISTS ${t}` });
}
await storage.close();
process.stdout.write('{}\n');
