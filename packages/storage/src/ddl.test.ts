import { describe, expect, it } from 'vitest';
import { schemaStatements } from './migrate.ts';
import { tables, views } from './schema.ts';

/**
 * The DDL the migrations emit, on one node and on a cluster (docs/scaling.md). The cluster
 * statements cannot run on this machine (no ZooKeeper, and the embedded engine refuses ON
 * CLUSTER), so they are checked against the statements a cluster needs: ReplicatedMergeTree
 * created ON CLUSTER, a Distributed table over the large tables, every dimension table whole on
 * every node, and the materialized views on the local tables of each shard.
 */
const opts = { retentionMonths: 13 };
const cluster = schemaStatements({ database: 'licenskoll', cluster: 'lk' }, opts);
const single = schemaStatements({ database: 'licenskoll' }, opts);
const sharded = new Set(tables(opts).filter((t) => t.shardKey).map((t) => t.name));
const stmt = (list: string[], head: string) => {
  const found = list.filter((s) => s.startsWith(head));
  expect(found, head).toHaveLength(1);
  return found[0];
};

describe('on a cluster', () => {
  it('creates the raw events replicated within their shard, with a Distributed table by user', () => {
    expect(stmt(cluster, 'CREATE TABLE IF NOT EXISTS events_local ')).toBe(`CREATE TABLE IF NOT EXISTS events_local ON CLUSTER lk
(
  event_key String CODEC(ZSTD(1)),
  time DateTime64(3, 'UTC') CODEC(Delta, ZSTD(1)),
  day Date CODEC(Delta, ZSTD(1)),
  type LowCardinality(String),
  user_key String CODEC(ZSTD(1)),
  product_ident LowCardinality(String),
  source LowCardinality(String),
  group_hint String CODEC(ZSTD(1)),
  school_hint LowCardinality(String),
  received DateTime DEFAULT now() CODEC(Delta, ZSTD(1))
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/licenskoll/events_local', '{replica}')
PARTITION BY toYYYYMM(day)
ORDER BY (product_ident, day, user_key)
TTL day + toIntervalMonth(13)
SETTINGS ttl_only_drop_parts = 1, non_replicated_deduplication_window = 10000, fsync_after_insert = 1, fsync_part_directory = 1`);
    expect(stmt(cluster, 'CREATE TABLE IF NOT EXISTS events ')).toBe(`CREATE TABLE IF NOT EXISTS events ON CLUSTER lk AS events_local
ENGINE = Distributed(lk, licenskoll, events_local, cityHash64(user_key))`);
  });

  it('shards the rollups with their events and says so in their Distributed keys', () => {
    expect(stmt(cluster, 'CREATE TABLE IF NOT EXISTS usage_days_local ')).toBe(`CREATE TABLE IF NOT EXISTS usage_days_local ON CLUSTER lk
(
  half Date,
  product_ident LowCardinality(String),
  user UInt128,
  days SimpleAggregateFunction(groupBitOr, UInt256),
  day_events SimpleAggregateFunction(sumMap, Tuple(Array(UInt8), Array(UInt64))),
  seen SimpleAggregateFunction(max, DateTime('UTC'))
)
ENGINE = ReplicatedAggregatingMergeTree('/clickhouse/tables/{shard}/licenskoll/usage_days_local', '{replica}')
PARTITION BY toYear(half)
ORDER BY (half, product_ident, user)
SETTINGS non_replicated_deduplication_window = 10000, fsync_after_insert = 1, fsync_part_directory = 1`);
    expect(stmt(cluster, 'CREATE TABLE IF NOT EXISTS usage_days ')).toBe(`CREATE TABLE IF NOT EXISTS usage_days ON CLUSTER lk AS usage_days_local
ENGINE = Distributed(lk, licenskoll, usage_days_local, cityHash64(lower(hex(reinterpretAsFixedString(user)))))`);
    expect(stmt(cluster, 'CREATE TABLE IF NOT EXISTS usage_daily ')).toBe(`CREATE TABLE IF NOT EXISTS usage_daily ON CLUSTER lk AS usage_daily_local
ENGINE = Distributed(lk, licenskoll, usage_daily_local, cityHash64(user_key))`);
    // Keys live on the shard of their event, not where a hash of the key would put them.
    expect(stmt(cluster, 'CREATE TABLE IF NOT EXISTS event_keys ')).toBe(`CREATE TABLE IF NOT EXISTS event_keys ON CLUSTER lk AS event_keys_local
ENGINE = Distributed(lk, licenskoll, event_keys_local, rand())`);
    expect(stmt(cluster, 'CREATE TABLE IF NOT EXISTS event_keys_local ')).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/licenskoll/event_keys_local', '{replica}')\nPARTITION BY toYYYYMM(received)\nORDER BY event_key\nTTL received + toIntervalMonth(13)",
    );
  });

  it('keeps the large tables sharded and every other table whole on every node', () => {
    expect([...sharded].sort()).toEqual(['denied_daily', 'event_claims', 'event_keys', 'events', 'ident_daily', 'signin_daily', 'usage_daily', 'usage_days']);
    for (const t of tables(opts)) {
      if (sharded.has(t.name)) continue;
      const create = stmt(cluster, `CREATE TABLE IF NOT EXISTS ${t.name} `);
      expect(create, t.name).toContain(` ON CLUSTER lk\n`);
      // One ZooKeeper path for all shards: every replica of every shard holds the whole table,
      // so the reports' joins with the roster run locally on each shard.
      expect(create, t.name).toMatch(new RegExp(`ENGINE = Replicated\\w*MergeTree\\('/clickhouse/tables/all/licenskoll/${t.name}', '\\{replica\\}'`));
      expect(cluster.some((s) => s.includes(`Distributed(lk, licenskoll, ${t.name}`)), t.name).toBe(false);
    }
  });

  it('keeps the claims of new event keys unreplicated, one table per shard, reached by the key', () => {
    // Keeper numbers a replicated block before it commits: only a plain MergeTree commits in the order of its numbers.
    expect(stmt(cluster, 'CREATE TABLE IF NOT EXISTS event_claims_local ')).toBe(`CREATE TABLE IF NOT EXISTS event_claims_local ON CLUSTER lk
(
  event_key String,
  writer LowCardinality(String),
  at DateTime('UTC') DEFAULT now()
)
ENGINE = MergeTree
PARTITION BY toDate(at)
ORDER BY event_key
TTL at + toIntervalDay(2)
SETTINGS enable_block_number_column = 1, ttl_only_drop_parts = 1, index_granularity = 1024, fsync_after_insert = 1, fsync_part_directory = 1`);
    expect(stmt(cluster, 'CREATE TABLE IF NOT EXISTS event_claims ')).toBe(`CREATE TABLE IF NOT EXISTS event_claims ON CLUSTER lk AS event_claims_local
ENGINE = Distributed(lk, licenskoll, event_claims_local, cityHash64(event_key))`);
  });

  it('creates every materialized view on each shard, from local events into local rollups', () => {
    for (const v of views) {
      const create = stmt(cluster, `CREATE MATERIALIZED VIEW IF NOT EXISTS ${v.name} `);
      expect(create).toContain(`CREATE MATERIALIZED VIEW IF NOT EXISTS ${v.name} ON CLUSTER lk TO ${v.to}_local\nAS SELECT`);
      expect(create).toContain('FROM events_local');
      expect(create).not.toMatch(/FROM events\b(?!_local)/);
    }
    expect(stmt(cluster, 'CREATE MATERIALIZED VIEW IF NOT EXISTS usage_days_mv ')).toBe(`CREATE MATERIALIZED VIEW IF NOT EXISTS usage_days_mv ON CLUSTER lk TO usage_days_local
AS SELECT makeDate(toYear(day), if(toMonth(day) < 7, 1, 7), 1) AS half, product_ident,
  reinterpretAsUInt128(unhex(user_key)) AS user,
  groupBitOr(bitShiftLeft(toUInt256(1), toUInt16(day) - toUInt16(half))) AS days,
  sumMap([toUInt8(toUInt16(day) - toUInt16(half))], [toUInt64(1)]) AS day_events, max(received) AS seen
FROM events_local WHERE type != 'denied' GROUP BY half, product_ident, user`);
  });

  it('creates each local table before the Distributed table over it and the views after both', () => {
    const at = (head: string) => cluster.findIndex((s) => s.startsWith(head));
    for (const name of sharded) expect(at(`CREATE TABLE IF NOT EXISTS ${name}_local `)).toBeLessThan(at(`CREATE TABLE IF NOT EXISTS ${name} `));
    const lastTable = Math.max(...cluster.map((s, i) => (s.startsWith('CREATE TABLE') ? i : -1)));
    for (const v of views) expect(at(`CREATE MATERIALIZED VIEW IF NOT EXISTS ${v.name} `)).toBeGreaterThan(lastTable);
  });
});

describe('on one node (embedded engine or a single server)', () => {
  it('emits plain MergeTree engines, no ON CLUSTER, no Distributed and no _local tables', () => {
    for (const s of single) {
      expect(s).not.toContain('ON CLUSTER');
      expect(s).not.toContain('Replicated');
      expect(s).not.toContain('Distributed');
      expect(s).not.toContain('_local');
    }
    expect(stmt(single, 'CREATE TABLE IF NOT EXISTS usage_days\n')).toContain('ENGINE = AggregatingMergeTree\nPARTITION BY toYear(half)');
    expect(stmt(single, 'CREATE MATERIALIZED VIEW IF NOT EXISTS usage_days_mv TO')).toContain('TO usage_days\nAS SELECT');
  });

  it('emits the same tables and views in both worlds', () => {
    const names = (list: string[]) => list.map((s) => /^CREATE (?:TABLE|MATERIALIZED VIEW) IF NOT EXISTS (\w+)/.exec(s)![1].replace(/_local$/, ''));
    expect([...new Set(names(cluster))].sort()).toEqual([...new Set(names(single))].sort());
  });
});
