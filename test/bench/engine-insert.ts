import { readFileSync, rmSync } from 'node:fs';
import { Pseudonymiser, type EventInput } from '@licenskoll/core';
import { insertRows, toStoredEvent, tokenFor } from '@licenskoll/ingest';
import { migrate, openStorage } from '@licenskoll/storage';
import { PSEUDONYM_KEY, RETENTION_MONTHS, benchConfig } from './bench-config.ts';
import { TIME_ZONE } from './calendar.ts';

/**
 * Child process: the embedded engine's own insert rate for the rows of the NDJSON sample,
 * through @clickhouse/client into a fresh store with the full schema (so the materialized
 * views run, as behind the service), in inserts of `batch` rows, one after another: the
 * ceiling HTTP ingest is compared with. Rows are made before the clock starts; each insert is
 * the store loop's own (`insertRows`: the same format, settings and deduplication token).
 */
const [dir, sampleFile, batchArg] = process.argv.slice(2);
const batch = Number(batchArg);
rmSync(dir, { recursive: true, force: true });
const storage = await openStorage(benchConfig(dir));
await migrate(storage, { retentionMonths: RETENTION_MONTHS });
const pseudo = new Pseudonymiser(PSEUDONYM_KEY);
const rows = readFileSync(sampleFile, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => toStoredEvent(JSON.parse(l) as EventInput, pseudo, TIME_ZONE));
const t0 = performance.now();
for (let i = 0; i < rows.length; i += batch) {
  const slice = rows.slice(i, i + batch);
  await insertRows(storage, slice, tokenFor(slice), 600_000);
}
const seconds = (performance.now() - t0) / 1000;
await storage.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`${JSON.stringify({ rows: rows.length, batch, seconds, rowsPerSecond: rows.length / seconds })}\n`);
