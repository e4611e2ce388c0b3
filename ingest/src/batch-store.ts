import { hash } from 'node:crypto';
import type { Storage } from '@licenskoll/storage';
import { STORED_EVENT_COLUMNS, compactRow, type StoredEvent } from './stored-event.ts';

/** The insert's deduplication token: the same rows give the same token, so a retried insert is stored once. */
export const tokenFor = (rows: StoredEvent[]): string =>
  hash('sha256', rows.map((r) => r.event_key).join(','), 'hex');

/** Keys of `keys` that are stored already. Chunked so one lookup stays a small IN list. */
export async function storedKeys(storage: Storage, keys: string[], timeoutMs: number): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < keys.length; i += 5000) {
    const rows = await storage.write
      .query({
        query: 'SELECT DISTINCT event_key FROM event_keys WHERE event_key IN {keys:Array(String)}',
        query_params: { keys: keys.slice(i, i + 5000) },
        format: 'JSONEachRow',
        abort_signal: AbortSignal.timeout(timeoutMs),
      })
      .then((r) => r.json<{ event_key: string }>());
    for (const r of rows) found.add(r.event_key);
  }
  return found;
}

/**
 * One insert of rows no earlier insert holds. `insert_deduplication_token` makes a resend of
 * the same rows (a retry after a lost answer, a spool replay) a no-op on the events table, and
 * `deduplicate_blocks_in_dependent_materialized_views` on each view's table: without it a resend
 * after a view failed part-way (a full disk under one table) runs every view again, and the
 * views that had taken the rows count them twice (seen with one view's table made read-only:
 * 2,000 rows became 6,000 in the others after two resends).
 * A batch may span many months, each its own partition: ClickHouse refuses more than 100
 * partitions per insert by default, which a backfill spanning nine years reaches, so the
 * limit is lifted here rather than failing the whole group commit on it.
 */
export async function insertRows(storage: Storage, rows: StoredEvent[], token: string, timeoutMs: number): Promise<void> {
  await storage.write.insert({
    table: 'events',
    columns: [...STORED_EVENT_COLUMNS],
    values: rows.map(compactRow),
    format: 'JSONCompactEachRow',
    clickhouse_settings: {
      insert_deduplication_token: token, insert_deduplicate: 1, deduplicate_blocks_in_dependent_materialized_views: 1,
      max_partitions_per_insert_block: '0',
    },
    abort_signal: AbortSignal.timeout(timeoutMs),
  });
}
