import type { Storage } from './client.ts';
import { queryRows } from './rows.ts';

/**
 * A hash of everything written to the storage's database: per table and partition the highest
 * block number and how many blocks the active parts cover (an insert adds a block; a merge only
 * joins adjacent ones, so background merges leave it alone), and the number of mutations. Equal
 * hashes mean no row was written, deleted or updated in between, so that a figure computed at
 * one may be served at the other (the peer comparison's cache, apps/server/src/region/).
 * `ignore` leaves out tables no figure is made of (the audit log, which every request writes).
 */
export async function writtenState(storage: Storage, ignore: { tables?: string[]; prefixes?: string[] } = {}): Promise<string> {
  const [r] = await queryRows<{ h: string }>(
    storage.write,
    `SELECT toString(cityHash64(groupArray((table, partition_id, top, blocks)),
        (SELECT count() FROM system.mutations WHERE database = currentDatabase() AND NOT has({tables:Array(String)}, table)))) AS h FROM (
       SELECT table, partition_id, max(max_block_number) AS top, sum(max_block_number - min_block_number + 1) AS blocks
       FROM system.parts WHERE database = currentDatabase() AND active
         AND NOT has({tables:Array(String)}, table) AND NOT arrayExists((p) -> startsWith(table, p), {prefixes:Array(String)})
       GROUP BY table, partition_id ORDER BY table, partition_id)`,
    { tables: ignore.tables ?? [], prefixes: ignore.prefixes ?? [] },
  );
  return r.h;
}
