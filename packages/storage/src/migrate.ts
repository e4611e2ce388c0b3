import type { Storage } from './client.ts';
import { createTable, createView, localName, type DdlContext } from './ddl.ts';
import { addMissingColumns, applyTableSettings, refreshChangedViews } from './evolve.ts';
import { backfills, tables, views, type SchemaOptions } from './schema.ts';
import { queryRows } from './rows.ts';

/** Every statement the schema needs, in order. Pure: tested against expected cluster DDL. */
export function schemaStatements(ctx: DdlContext, opts: SchemaOptions): string[] {
  const specs = tables(opts);
  const sharded = new Set(specs.filter((t) => t.shardKey).map((t) => t.name));
  return [
    ...specs.flatMap((t) => createTable(t, ctx)),
    ...views.map((v) => createView(v, ctx, (n) => sharded.has(n))),
  ];
}

/**
 * Creates only what is missing (every statement is IF NOT EXISTS), adds columns and remakes
 * views an earlier version made differently (evolve.ts), fills new rollups from the daily one,
 * then brings the retention TTL in line with the configuration without rewriting parts.
 */
export async function migrate(storage: Storage, opts: SchemaOptions): Promise<void> {
  const ctx: DdlContext = { database: storage.database, cluster: storage.cluster };
  const existing = new Set(
    (await queryRows<{ name: string }>(storage.write, 'SELECT name FROM system.tables WHERE database = currentDatabase()')).map((r) => r.name),
  );
  const statements = schemaStatements(ctx, opts);
  const isView = (q: string) => q.startsWith('CREATE MATERIALIZED VIEW');
  for (const query of statements.filter((q) => !isView(q))) await storage.write.command({ query });
  const specs = tables(opts);
  const sharded = new Set(specs.filter((t) => t.shardKey).map((t) => t.name));
  // Before the views: a view whose query names a new column is refused until the column exists.
  await addMissingColumns(storage, ctx, specs);
  await applyTableSettings(storage, ctx, specs);
  for (const query of statements.filter(isView)) await storage.write.command({ query });
  await refreshChangedViews(storage, ctx, views, (n) => sharded.has(n), existing);
  await backfillNewRollups(storage, existing);
  const on = ctx.cluster ? ` ON CLUSTER ${ctx.cluster}` : '';
  const current = await queryRows<{ value: string }>(
    storage.write,
    `SELECT value FROM settings FINAL WHERE key = 'retention_months'`,
  );
  if (current[0]?.value !== String(opts.retentionMonths)) {
    for (const [t, col] of [['events', 'day'], ['event_keys', 'received']]) {
      await storage.write.command({
        query: `ALTER TABLE ${localName(t, ctx)}${on} MODIFY TTL ${col} + toIntervalMonth(${Number(opts.retentionMonths)})`,
        clickhouse_settings: { materialize_ttl_after_modify: 0 },
      });
    }
    await storage.write.insert({
      table: 'settings',
      values: [{ key: 'retention_months', value: String(opts.retentionMonths), version: Date.now() }],
      format: 'JSONEachRow',
    });
  }
}

/**
 * A rollup created by this migration starts empty while older use sits in `usage_daily`:
 * fill it from there once. Its materialized view already exists at this point, so events
 * inserted meanwhile by another process would be counted twice: on a cluster, upgrade with
 * ingest stopped (docs/scaling.md).
 */
async function backfillNewRollups(storage: Storage, existing: Set<string>): Promise<void> {
  if (!existing.has('usage_daily')) return;
  for (const b of backfills) {
    if (existing.has(b.table)) continue;
    await storage.write.command({ query: `INSERT INTO ${b.table} (${b.columns.join(', ')}) ${b.select}` });
  }
}
