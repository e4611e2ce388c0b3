import { openStorage, queryRows } from '@licenskoll/storage';
import { benchConfig } from './bench-config.ts';

/** Child process: bytes on disk per table of a store, after the benchmark has used it. */
const storage = await openStorage(benchConfig(process.argv[2]));
const tables = await queryRows<{ table: string; rows: number; bytes: number; parts: number }>(
  storage.read,
  `SELECT table, sum(rows) AS rows, sum(bytes_on_disk) AS bytes, count() AS parts FROM system.parts
   WHERE active AND database = currentDatabase() GROUP BY table ORDER BY bytes DESC`,
  {},
  ['rows', 'bytes', 'parts'],
);
const [{ version }] = await queryRows<{ version: string }>(storage.read, 'SELECT version() AS version');
await storage.close();
process.stdout.write(`${JSON.stringify({ version, tables })}\n`);
