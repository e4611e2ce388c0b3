import { halfOf, type Storage } from '@licenskoll/storage';
import type { StoredEvent } from './stored-event.ts';

/** Rows each table was short of and has been given. */
export interface Reconciled {
  events: number;
  eventKeys: number;
  usageDaily: number;
  usageDays: number;
  identDaily: number;
}

const CHUNK = 5000;
const unique = <T>(xs: Iterable<T>) => [...new Set(xs)];
const chunks = <T>(xs: T[]) => Array.from({ length: Math.ceil(xs.length / CHUNK) }, (_, i) => xs.slice(i * CHUNK, (i + 1) * CHUNK));

/**
 * Makes every table hold the rows of an insert that was cut short and has just been completed
 * (resent with its own rows and token), and nothing twice.
 *
 * Why a resend is not enough: a non-replicated MergeTree writes an insert's block id to its
 * deduplication log before it renames the new part into place. When the rename fails (a disk
 * turned read-only, an I/O error) or the process dies between the two, the part is gone and
 * the block id stays, so the resend is dropped as a duplicate and that table lacks the block
 * for good. Any table can be the one: in a chDB experiment with the table directories made
 * immutable under a live insert, the events table lacked 510 of 10,000 rows while every view
 * held them, and another time the daily rollup lacked 5,000 while the events table was whole;
 * test/reliability/engine-failure once ended with 921 raw events missing that the key table
 * and rollups counted.
 *
 * So each table is checked against the one it is derived from, for what this insert touched
 * only, in dependency order:
 * - `events` against the insert's own rows; the missing ones are attached through a staging
 *   table, which runs no materialized view (the views may already hold them);
 * - `event_keys` against `events`, key by key;
 * - `usage_daily` against `events`, per product identifier, day and pseudonym;
 * - `usage_days` and `ident_daily` against `usage_daily` (as their backfills are).
 * A rollup short of its source gets the difference as one more row, which its engine adds up
 * like any other. Every step reads what is there before it writes, so running it again (after
 * a crash during it) adds nothing.
 *
 * All of it on the embedded engine only, where this process is the one writer: with other
 * ingest processes inserting the same products and days, a difference read between another
 * insert's events part and its views would be added twice. On a server only the key table is
 * filled in (a resend the events table drops as a duplicate runs no view, so a key whose view
 * failed the first time is still missing); replicated tables write the block id in the same
 * Keeper transaction as the part, which leaves a cluster without the hazard.
 */
export async function reconcileInsert(storage: Storage, rows: StoredEvent[], timeoutMs: number): Promise<Reconciled> {
  const q = new Queries(storage, timeoutMs);
  const keys = unique(rows.map((r) => r.event_key));
  const days = unique(rows.map((r) => r.day));
  const products = unique(rows.map((r) => r.product_ident));
  const users = unique(rows.map((r) => r.user_key));
  const scope = { days, products, users };
  const out: Reconciled = { events: 0, eventKeys: 0, usageDaily: 0, usageDays: 0, identDaily: 0 };

  const soleWriter = storage.mode === 'embedded';
  if (soleWriter) out.events = await restoreEvents(q, rows, keys, days);
  for (const k of chunks(keys)) {
    out.eventKeys += await q.fill(
      'event_keys (event_key, day, received)',
      `SELECT event_key, any(day), toDate(min(received)) FROM events
       WHERE day IN {days:Array(Date)} AND event_key IN {keys:Array(String)}
         AND event_key NOT IN (SELECT event_key FROM event_keys WHERE event_key IN {keys:Array(String)})
       GROUP BY event_key`,
      { days, keys: k },
    );
  }
  if (!soleWriter) return out;
  out.usageDaily = await q.fill(
    'usage_daily (product_ident, day, user_key, events, logins, launches, first_time, last_time)',
    `SELECT product_ident, day, user_key, e.events - least(e.events, r.events), e.logins - least(e.logins, r.logins),
         e.launches - least(e.launches, r.launches), e.first_time, e.last_time
       FROM (
         SELECT product_ident, day, user_key, count() AS events, countIf(type = 'login') AS logins,
           countIf(type = 'launch') AS launches, min(time) AS first_time, max(time) AS last_time
         FROM events
         WHERE product_ident IN {products:Array(String)} AND day IN {days:Array(Date)} AND user_key IN {users:Array(String)}
           AND type != 'denied'
         GROUP BY product_ident, day, user_key
       ) AS e
       LEFT JOIN (
         SELECT product_ident, day, user_key, sum(events) AS events, sum(logins) AS logins, sum(launches) AS launches
         FROM usage_daily
         WHERE product_ident IN {products:Array(String)} AND day IN {days:Array(Date)} AND user_key IN {users:Array(String)}
         GROUP BY product_ident, day, user_key
       ) AS r USING (product_ident, day, user_key)
       WHERE e.events > r.events OR e.logins > r.logins OR e.launches > r.launches`,
    scope,
  );
  // Per day of the half-year: what usage_daily says against what the masks and day counts hold.
  out.usageDays = await q.fill(
    'usage_days (half, product_ident, user, days, day_events, seen)',
    `SELECT half, product_ident, user, bitShiftLeft(toUInt256(1), idx), ([idx], [e.n - least(e.n, r.n)]), now()
       FROM (
         SELECT ${halfOf('day')} AS half, product_ident,
           reinterpretAsUInt128(unhex(user_key)) AS user, toUInt8(toUInt16(day) - toUInt16(half)) AS idx, sum(events) AS n
         FROM usage_daily
         WHERE product_ident IN {products:Array(String)} AND day IN {days:Array(Date)} AND user_key IN {users:Array(String)}
         GROUP BY half, product_ident, user, idx
       ) AS e
       LEFT JOIN (
         SELECT half, product_ident, user, idx, n FROM (
           SELECT half, product_ident, user, sumMap(day_events) AS m FROM usage_days
           WHERE half IN (SELECT DISTINCT ${halfOf('d')} FROM (SELECT arrayJoin({days:Array(Date)}) AS d))
             AND product_ident IN {products:Array(String)}
             AND user IN (SELECT reinterpretAsUInt128(unhex(u)) FROM (SELECT arrayJoin({users:Array(String)}) AS u))
           GROUP BY half, product_ident, user
         ) ARRAY JOIN m.1 AS idx, m.2 AS n
       ) AS r USING (half, product_ident, user, idx)
       WHERE e.n > r.n`,
    scope,
  );
  out.identDaily = await q.fill(
    'ident_daily (day, product_ident, events, first_time, last_time)',
    `SELECT day, product_ident, e.events - least(e.events, r.events), e.first_time, e.last_time
       FROM (
         SELECT day, product_ident, sum(events) AS events, min(first_time) AS first_time, max(last_time) AS last_time
         FROM usage_daily WHERE product_ident IN {products:Array(String)} AND day IN {days:Array(Date)}
         GROUP BY day, product_ident
       ) AS e
       LEFT JOIN (
         SELECT day, product_ident, sum(events) AS events FROM ident_daily
         WHERE product_ident IN {products:Array(String)} AND day IN {days:Array(Date)}
         GROUP BY day, product_ident
       ) AS r USING (day, product_ident)
       WHERE e.events > r.events`,
    { products, days },
  );
  return out;
}

/** Attaches the rows of `rows` that `events` lacks, without running the views. Returns how many. */
async function restoreEvents(q: Queries, rows: StoredEvent[], keys: string[], days: string[]): Promise<number> {
  const present = new Set<string>();
  for (const k of chunks(keys)) {
    const found = await q.rows<{ event_key: string }>(
      'SELECT DISTINCT event_key FROM events WHERE day IN {days:Array(Date)} AND event_key IN {keys:Array(String)}',
      { days, keys: k },
    );
    for (const r of found) present.add(r.event_key);
  }
  const seen = new Set<string>();
  const missing = rows.filter((r) => !present.has(r.event_key) && !seen.has(r.event_key) && seen.add(r.event_key));
  if (missing.length === 0) return 0;
  // ATTACH PARTITION ... FROM copies parts as they are: no view sees them.
  await q.command('DROP TABLE IF EXISTS events_restore SYNC');
  await q.command('CREATE TABLE events_restore AS events');
  try {
    await q.storage.write.insert({
      table: 'events_restore',
      values: missing,
      format: 'JSONEachRow',
      clickhouse_settings: { insert_deduplicate: 0, insert_deduplication_token: '', max_partitions_per_insert_block: '0' },
      abort_signal: AbortSignal.timeout(q.timeoutMs),
    });
    const partitions = await q.rows<{ id: string }>('SELECT DISTINCT _partition_id AS id FROM events_restore');
    for (const { id } of partitions) {
      if (!/^\w+$/.test(id)) throw new Error(`unexpected partition id ${JSON.stringify(id)}`);
      await q.command(`ALTER TABLE events ATTACH PARTITION ID '${id}' FROM events_restore`);
    }
  } finally {
    await q.command('DROP TABLE IF EXISTS events_restore SYNC');
  }
  return missing.length;
}

class Queries {
  constructor(
    readonly storage: Storage,
    readonly timeoutMs: number,
  ) {}

  async rows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
    const r = await this.storage.write.query({ query, query_params: params, format: 'JSONEachRow', abort_signal: AbortSignal.timeout(this.timeoutMs) });
    return r.json<T>();
  }

  async command(query: string, params: Record<string, unknown> = {}): Promise<void> {
    await this.storage.write.command({
      query,
      query_params: params,
      // Rows no insert token describes: never dropped as a resend. The token is cleared as well:
      // the embedded engine keeps the last insert's on the session, and with it the second
      // chunk of keys was dropped as a duplicate of the first.
      clickhouse_settings: { insert_deduplicate: 0, insert_deduplication_token: '' },
      abort_signal: AbortSignal.timeout(this.timeoutMs),
    });
  }

  /** Inserts what `select` finds missing into `target` ("table (columns)"), if anything; returns how many rows. */
  async fill(target: string, select: string, params: Record<string, unknown>): Promise<number> {
    const [r] = await this.rows<{ n: string }>(`SELECT count() AS n FROM (${select})`, params);
    const n = Number(r.n);
    if (n > 0) await this.command(`INSERT INTO ${target} ${select}`, params);
    return n;
  }
}
