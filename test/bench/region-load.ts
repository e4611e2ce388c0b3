import { rmSync, writeFileSync } from 'node:fs';
import { chTime } from '@licenskoll/core';
import { migrate, migrateRegion, nextVersion, openStorage } from '@licenskoll/storage';
import { RETENTION_MONTHS, SEED, benchConfig } from './bench-config.ts';
import { bulkLoad } from './bulk-load.ts';
import { regionDir, regionMarker, regionOrganisers, regionSignature, type RegionLoad } from './region-config.ts';

/**
 * Child process: builds the region benchmark into `.bench-data/region-<scale>x<n>`: the first
 * organiser is the benchmark municipality, each other one a municipality of the same scale with
 * a seed of its own, in a database of its own and registered in the region's registry as the
 * service's region admin would (apps/server/src/region/organisers.ts).
 */
const scale = Number(process.argv[2]);
const n = Number(process.argv[3]);
const dir = regionDir(scale, n);
rmSync(dir, { recursive: true, force: true });
const root = await openStorage(benchConfig(dir));
const t0 = performance.now();
await migrate(root, { retentionMonths: RETENTION_MONTHS });
let events = (await bulkLoad(root, scale)).events;
process.stderr.write(`region load: organiser 1 of ${n}, ${events} events, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
const region = await root.forDatabase!('region');
await migrateRegion(region);
for (const [i, o] of regionOrganisers(n).entries()) {
  const storage = await root.forDatabase!(o.database);
  await migrate(storage, { retentionMonths: RETENTION_MONTHS });
  events += (await bulkLoad(storage, scale, SEED + i + 1)).events;
  await region.write.insert({
    table: 'organisers',
    values: [{ id: o.id, name: o.name, database: o.database, time_zone: 'Europe/Stockholm', first: 0, created: chTime(Date.now()), version: nextVersion() }],
    format: 'JSONEachRow',
  });
  process.stderr.write(`region load: organiser ${i + 2} of ${n}, ${events} events in all, ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
}
await root.close();
const result: RegionLoad = { signature: regionSignature(scale, n), organisers: n, events, seconds: Math.round((performance.now() - t0) / 1000) };
writeFileSync(regionMarker(scale, n), JSON.stringify(result));
process.stdout.write(`${JSON.stringify(result)}\n`);
