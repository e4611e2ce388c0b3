import type { Storage } from './client.ts';
import { createTable, type TableSpec } from './ddl.ts';

/**
 * The region's own database (docs/tenants.md): which organisers this installation holds, the
 * region's tokens, its framework agreements and its product catalogue. No personal data and no
 * figures: an organiser's roster, events and licences live in that organiser's database only,
 * and the region reads them through the aggregate reports (apps/server/src/region/).
 */
export function regionTables(): TableSpec[] {
  return [
    {
      // One row per organiser version. `database` is where its tables are; `first` marks the
      // organiser an installation from before tenants became (its database is the old one).
      name: 'organisers',
      columns: [
        'id String', 'name String', 'database String', 'time_zone String', 'first UInt8',
        "created DateTime64(3, 'UTC')", 'version UInt64',
      ],
      engine: 'ReplacingMergeTree(version)',
      orderBy: 'id',
    },
    {
      // Region admin and region analyst tokens: only a SHA-256 hash of the secret is kept.
      name: 'region_tokens',
      columns: [
        'id String', 'name String', 'role LowCardinality(String)', 'hash String', "created DateTime64(3, 'UTC')",
        'expires Nullable(Date)', 'revoked UInt8', 'version UInt64',
      ],
      engine: 'ReplacingMergeTree(version)',
      orderBy: 'id',
    },
    {
      // A framework agreement (ramavtal) procured jointly for the region (docs/figures.md,
      // figure 27): terms and participating organisers only. The call-offs (avrop) are licences
      // in each participant's own database that name it (`licences.agreement`).
      name: 'agreements',
      columns: [
        'id String', 'name String', 'product String', 'supplier String', 'price_per_seat Float64', 'currency LowCardinality(String)',
        'start Date', 'end Date', 'organisers Array(String)', "created DateTime64(3, 'UTC')", 'version UInt64',
      ],
      engine: 'ReplacingMergeTree(version)',
      orderBy: 'id',
    },
    {
      // The region's shared product catalogue (docs/tenants.md, "Shared catalogue"): the same
      // columns as an organiser's `products`, which every organiser inherits into its own
      // table (origin 'region') unless it holds an override of its own.
      name: 'catalogue',
      columns: [
        'id String', 'name String', 'supplier String', 'identifiers Array(String)',
        'target_school_types Array(String)', 'target_years Array(UInt8)', 'target_subjects Array(String)', 'target_duty_roles Array(String)',
        'deleted UInt8', 'version UInt64',
      ],
      engine: 'ReplacingMergeTree(version)',
      orderBy: 'id',
    },
    {
      // What region tokens did (docs/privacy.md, "The region"): who, which endpoint, the answer.
      // No body is kept: a new organiser's first admin token is in one.
      name: 'region_audit',
      columns: [
        "at DateTime64(3, 'UTC')", 'actor_id String', 'actor String', 'role LowCardinality(String)',
        'method LowCardinality(String)', 'path String', 'status UInt16',
      ],
      engine: 'MergeTree',
      orderBy: 'at',
    },
  ];
}

/** Creates the region's tables where missing (every statement is IF NOT EXISTS). */
export async function migrateRegion(storage: Storage): Promise<void> {
  const ctx = { database: storage.database, cluster: storage.cluster };
  for (const t of regionTables()) for (const query of createTable(t, ctx)) await storage.write.command({ query });
}
