import type { TableSpec } from './ddl.ts';

/**
 * What several ingest processes writing into one store need to agree on (ingest/src/claims.ts,
 * docs/scaling.md "Several ingest processes against one cluster"). Kept apart from schema.ts,
 * which holds the figures' tables.
 */
export function ingestTables(): TableSpec[] {
  return [
    {
      // Who stores each new event key: before its insert a writer claims its batch's new keys
      // here, and the claim with the lowest block number wins. A plain MergeTree numbers its
      // blocks as it commits them, under its parts lock, so a writer that saw only its own
      // claim cannot be overtaken by an older one that appears later. The block number stays
      // with the row through merges (enable_block_number_column). Only the race between a
      // lookup and an insert needs the claims (older keys are in event_keys): two days' worth.
      name: 'event_claims',
      columns: ['event_key String', 'writer LowCardinality(String)', "at DateTime('UTC') DEFAULT now()"],
      engine: 'MergeTree',
      partitionBy: 'toDate(at)',
      orderBy: 'event_key',
      ttl: 'at + toIntervalDay(2)',
      settings: { enable_block_number_column: 1, ttl_only_drop_parts: 1, index_granularity: 1024 },
      // On a cluster: never replicated (Keeper hands out a block number before the part is
      // committed, so a lower number can commit after a higher one was read), one table per
      // shard that the claims of a key always reach (docs/scaling.md).
      shardKey: 'cityHash64(event_key)',
      replicated: false,
    },
  ];
}
