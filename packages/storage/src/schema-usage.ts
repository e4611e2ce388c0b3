import type { TableSpec, ViewSpec } from './ddl.ts';
import type { SchemaOptions } from './schema-common.ts';

/** The half-year a day falls in, as its first day (1 January or 1 July): the `half` of `usage_days`. */
export const halfOf = (day: string) => `makeDate(toYear(${day}), if(toMonth(${day}) < 7, 1, 7), 1)`;

/**
 * Use: the raw events, their idempotency keys and the rollups their materialized views fill
 * as they are inserted, the only tables ingest writes. Figures are computed at query time
 * from the rollups and the roster, so a roster or product mapping that arrives later applies
 * to old events (docs/design.md, "Resolved when asked").
 */
export const usageTables = (opts: SchemaOptions): TableSpec[] => [
  {
    // Raw events. ORDER BY starts with what every report filters on (product, day, user).
    // `day` is the organiser's calendar day, fixed at ingest. `user_key` is the pseudonym:
    // raw identifiers never reach this table. Retention drops whole monthly parts.
    name: 'events',
    columns: [
      'event_key String CODEC(ZSTD(1))',
      "time DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1))",
      'day Date CODEC(Delta, ZSTD(1))',
      'type LowCardinality(String)',
      'user_key String CODEC(ZSTD(1))',
      'product_ident LowCardinality(String)',
      'source LowCardinality(String)',
      'group_hint String CODEC(ZSTD(1))',
      'school_hint LowCardinality(String)',
      "received DateTime DEFAULT now() CODEC(Delta, ZSTD(1))",
    ],
    engine: 'MergeTree',
    partitionBy: 'toYYYYMM(day)',
    orderBy: '(product_ident, day, user_key)',
    ttl: `day + toIntervalMonth(${opts.retentionMonths})`,
    settings: { ttl_only_drop_parts: 1, non_replicated_deduplication_window: 10000 },
    shardKey: 'cityHash64(user_key)',
  },
  {
    // Idempotency keys of stored events, looked up by ingest before each insert to count
    // duplicates; small granules keep a lookup of a 5,000-key batch to a few MB read.
    // Kept by the day of receipt, not of the event: a historic import resent a week later
    // must still be recognised, although its raw rows are already past retention.
    name: 'event_keys',
    columns: ['event_key String', 'day Date', 'received Date'],
    engine: 'ReplacingMergeTree',
    partitionBy: 'toYYYYMM(received)',
    orderBy: 'event_key',
    ttl: `received + toIntervalMonth(${opts.retentionMonths})`,
    settings: { index_granularity: 1024, ttl_only_drop_parts: 1, non_replicated_deduplication_window: 10000 },
    // The view writes each key on the shard of its event (by user_key), not by the key's own
    // hash: a key-based sharding key here would let optimize_skip_unused_shards look for a
    // key on the wrong shard and miss a duplicate. rand() says there is no placement.
    shardKey: 'rand()',
  },
  {
    // The grain every report needs: product identifier x user pseudonym x day. Kept beyond
    // raw retention. Read with GROUP BY (never FINAL) so unmerged parts add up correctly.
    name: 'usage_daily',
    columns: [
      'product_ident LowCardinality(String)',
      'day Date CODEC(Delta, ZSTD(1))',
      'user_key String CODEC(ZSTD(1))',
      'events SimpleAggregateFunction(sum, UInt64)',
      'logins SimpleAggregateFunction(sum, UInt64)',
      'launches SimpleAggregateFunction(sum, UInt64)',
      "first_time SimpleAggregateFunction(min, DateTime64(3, 'UTC'))",
      "last_time SimpleAggregateFunction(max, DateTime64(3, 'UTC'))",
    ],
    engine: 'AggregatingMergeTree',
    partitionBy: 'toYear(day)',
    orderBy: '(product_ident, day, user_key)',
    settings: { non_replicated_deduplication_window: 10000 },
    shardKey: 'cityHash64(user_key)',
  },
  {
    // What the reports read: the days each user pseudonym used each product identifier in a
    // half-year, as a 256-bit mask (a half-year has at most 184 days), with events per day.
    // Still at identifier level: persons and products are resolved at query time (docs/design.md,
    // "Resolved when asked"), so a later roster or mapping applies to old use. A fifth of
    // usage_daily's rows, and what made year reports take under a second (docs/benchmarks.md,
    // "Measurements behind the code", "usage_days").
    // `user` is the pseudonym as its 128-bit number (user_key is 32 hex digits of an HMAC):
    // joins and GROUP BY on it cost about half of those on the hex string. Read without FINAL:
    // every figure ORs masks, sums events or counts distinct users, which unmerged rows
    // give the same answer for.
    name: 'usage_days',
    columns: [
      'half Date',
      'product_ident LowCardinality(String)',
      'user UInt128',
      'days SimpleAggregateFunction(groupBitOr, UInt256)',
      'day_events SimpleAggregateFunction(sumMap, Tuple(Array(UInt8), Array(UInt64)))',
      // When the row last took events: what the resolution cache (rc_*) has not seen yet.
      "seen SimpleAggregateFunction(max, DateTime('UTC'))",
    ],
    engine: 'AggregatingMergeTree',
    partitionBy: 'toYear(half)',
    orderBy: '(half, product_ident, user)',
    settings: { non_replicated_deduplication_window: 10000 },
    // On a cluster the view fills each shard from that shard's events (sharded by
    // cityHash64(user_key)); this key places direct inserts (the upgrade backfill) the same
    // way. reinterpretAsFixedString keeps the trailing zero bytes reinterpretAsString drops.
    shardKey: 'cityHash64(lower(hex(reinterpretAsFixedString(user))))',
  },
  {
    // Refused launches (events of type `denied`) per product identifier, user pseudonym and
    // day: demand without a licence (docs/figures.md, figure 15). They are not use, and no
    // other rollup counts them. Kept beyond raw retention like usage_daily.
    name: 'denied_daily',
    columns: [
      'product_ident LowCardinality(String)',
      'day Date CODEC(Delta, ZSTD(1))',
      'user_key String CODEC(ZSTD(1))',
      'events SimpleAggregateFunction(sum, UInt64)',
    ],
    engine: 'AggregatingMergeTree',
    partitionBy: 'toYear(day)',
    orderBy: '(product_ident, day, user_key)',
    settings: { non_replicated_deduplication_window: 10000 },
    shardKey: 'cityHash64(user_key)',
  },
  {
    // Events, first and last time per product identifier and day: product totals and the
    // unmapped list without touching users. About 250 identifiers x 365 days a year.
    name: 'ident_daily',
    columns: [
      'day Date',
      'product_ident LowCardinality(String)',
      'events SimpleAggregateFunction(sum, UInt64)',
      "first_time SimpleAggregateFunction(min, DateTime64(3, 'UTC'))",
      "last_time SimpleAggregateFunction(max, DateTime64(3, 'UTC'))",
    ],
    engine: 'AggregatingMergeTree',
    partitionBy: 'toYear(day)',
    orderBy: '(day, product_ident)',
    settings: { non_replicated_deduplication_window: 10000 },
    // Every shard holds rows of every identifier and day (from its own users' events): no
    // key places them, and a random one keeps optimize_skip_unused_shards from pruning.
    shardKey: 'rand()',
  },
];

/**
 * One half-year's day mask and events per day for each user and product identifier, from rows
 * with a `day` and a `user_key`: events (one row each) for the view, or `usage_daily` (with
 * its `events` count) when a new store fills the rollup from older use. `{from}` is the source.
 */
function usageDaysSelect(o: { events: string; seen: string; where?: string }): string {
  return `SELECT ${halfOf('day')} AS half, product_ident,
  reinterpretAsUInt128(unhex(user_key)) AS user,
  groupBitOr(bitShiftLeft(toUInt256(1), toUInt16(day) - toUInt16(half))) AS days,
  sumMap([toUInt8(toUInt16(day) - toUInt16(half))], [toUInt64(${o.events})]) AS day_events, ${o.seen} AS seen
FROM {from}${o.where ? ` WHERE ${o.where}` : ''} GROUP BY half, product_ident, user`;
}

/** A refused launch (`denied`) is not use: the usage rollups leave it out, `denied_daily` takes it. */
const USE = "type != 'denied'";

export const views: ViewSpec[] = [
  {
    name: 'usage_daily_mv',
    to: 'usage_daily',
    from: 'events',
    select: `SELECT product_ident, day, user_key, count() AS events, countIf(type = 'login') AS logins,
  countIf(type = 'launch') AS launches, min(time) AS first_time, max(time) AS last_time
FROM {from} WHERE ${USE} GROUP BY product_ident, day, user_key`,
  },
  {
    name: 'usage_days_mv',
    to: 'usage_days',
    from: 'events',
    select: usageDaysSelect({ events: '1', seen: 'max(received)', where: USE }),
  },
  {
    name: 'ident_daily_mv',
    to: 'ident_daily',
    from: 'events',
    select: `SELECT day, product_ident, count() AS events, min(time) AS first_time, max(time) AS last_time
FROM {from} WHERE ${USE} GROUP BY day, product_ident`,
  },
  {
    name: 'denied_daily_mv',
    to: 'denied_daily',
    from: 'events',
    select: `SELECT product_ident, day, user_key, count() AS events FROM {from} WHERE type = 'denied' GROUP BY product_ident, day, user_key`,
  },
  {
    name: 'event_keys_mv',
    to: 'event_keys',
    from: 'events',
    select: 'SELECT event_key, day, toDate(received) AS received FROM {from}',
  },
];

/**
 * How a rollup added after events were stored is filled from `usage_daily` (which is kept
 * beyond raw retention, so it holds all use): run by `migrate` once, when it creates the table.
 */
export const backfills: { table: string; columns: string[]; select: string }[] = [
  {
    table: 'usage_days',
    columns: ['half', 'product_ident', 'user', 'days', 'day_events', 'seen'],
    select: usageDaysSelect({ events: 'events', seen: 'now()' }).replace('{from}', 'usage_daily'),
  },
  {
    table: 'ident_daily',
    columns: ['day', 'product_ident', 'events', 'first_time', 'last_time'],
    select: `SELECT day, product_ident, sum(events) AS events, min(first_time) AS first_time, max(last_time) AS last_time
FROM usage_daily GROUP BY day, product_ident`,
  },
];
