import type { Storage } from './client.ts';
import { queryRows } from './rows.ts';

/** Tables left out of a state: those no figure is made of. */
export interface IgnoredTables {
  tables?: string[];
  prefixes?: string[];
}

/**
 * A hash of everything written to the storage's database: per table and partition the highest
 * block number and how many blocks the active parts cover (an insert adds a block; a merge only
 * joins adjacent ones, so background merges leave it alone), and the number of mutations. Equal
 * hashes mean no row was written, deleted or updated in between, so that a figure computed at
 * one may be served at the other (packages/reports/src/store-memo.ts). `ignore` leaves out
 * tables no figure is made of (the audit log, which every request writes).
 */
export async function writtenState(storage: Storage, ignore: IgnoredTables = {}): Promise<string> {
  return (await writtenStates(storage, [storage.database], ignore))[0];
}

/**
 * writtenState of several databases of one engine, in two queries from any storage of it, in
 * the order given: the peer comparison looks at every organiser's store on each request.
 */
export async function writtenStates(storage: Storage, databases: string[], ignore: IgnoredTables = {}): Promise<string[]> {
  const params = { dbs: databases, tables: ignore.tables ?? [], prefixes: ignore.prefixes ?? [] };
  const [parts, mutations] = await Promise.all([
    queryRows<{ db: string; h: string }>(
      storage.write,
      `SELECT db, toString(cityHash64(groupArray((table, partition_id, top, blocks)))) AS h FROM (
         SELECT database AS db, table, partition_id, max(max_block_number) AS top, sum(max_block_number - min_block_number + 1) AS blocks
         FROM system.parts WHERE has({dbs:Array(String)}, database) AND active
           AND NOT has({tables:Array(String)}, table) AND NOT arrayExists((p) -> startsWith(table, p), {prefixes:Array(String)})
         GROUP BY db, table, partition_id ORDER BY db, table, partition_id)
       GROUP BY db`,
      params,
    ),
    queryRows<{ db: string; n: string }>(
      storage.write,
      `SELECT database AS db, toString(count()) AS n FROM system.mutations
       WHERE has({dbs:Array(String)}, database) AND NOT has({tables:Array(String)}, table) GROUP BY db`,
      params,
    ),
  ]);
  const h = new Map(parts.map((r) => [r.db, r.h]));
  const m = new Map(mutations.map((r) => [r.db, r.n]));
  return databases.map((d) => `${h.get(d) ?? ''}/${m.get(d) ?? '0'}`);
}
