import { rmSync, writeFileSync } from 'node:fs';
import { migrate, openStorage, queryRows } from '@licenskoll/storage';
import { RETENTION_MONTHS, benchConfig, markerFile, storeDir, storeSignature, type LoadResult } from './bench-config.ts';
import { bulkLoad } from './bulk-load.ts';

/** Child process: builds the benchmark municipality into `.bench-data/store-<scale>` and prints what it stored. */
const scale = Number(process.argv[2] ?? 1);
const dir = storeDir(scale);
rmSync(dir, { recursive: true, force: true });
const storage = await openStorage(benchConfig(dir));
await migrate(storage, { retentionMonths: RETENTION_MONTHS });
const cpu0 = process.cpuUsage();
const loaded = await bulkLoad(storage, scale);
const cpu = process.cpuUsage(cpu0);
const [counts] = await queryRows<{ events: number; usage: number; masks: number; persons: number }>(
  storage.write,
  `SELECT (SELECT count() FROM events) AS events, (SELECT count() FROM usage_daily) AS usage, (SELECT count() FROM usage_days) AS masks,
          (SELECT count() FROM persons FINAL) AS persons`,
  {},
  ['events', 'usage', 'masks', 'persons'],
);
await storage.close();
if (counts.events !== loaded.events) throw new Error(`stored ${counts.events} events of ${loaded.events} generated`);
const result: LoadResult = {
  signature: storeSignature(scale),
  events: counts.events,
  usageDailyRows: counts.usage,
  usageDaysRows: counts.masks,
  persons: counts.persons,
  seconds: loaded.seconds,
  // This process's CPU (its threads and the engine's): on a shared machine steadier than the time.
  cpuSeconds: Math.round((cpu.user + cpu.system) / 1e6),
};
writeFileSync(markerFile(scale), JSON.stringify(result));
process.stdout.write(`${JSON.stringify(result)}\n`);
