import { createHash } from 'node:crypto';
import type { Storage } from './client.ts';
import { createView, localName, type DdlContext, type TableSpec, type ViewSpec } from './ddl.ts';
import { nextVersion, queryRows } from './rows.ts';

/**
 * What CREATE ... IF NOT EXISTS cannot do for a store made by an earlier version: add the
 * columns a table has gained, and recreate a materialized view whose query changed (a view
 * keeps the query it was created with). Both only add: no column is dropped, no data moved.
 */

const columnName = (def: string) => def.trim().split(/\s+/)[0];

/** Adds each column a table spec has that the stored table lacks (to its Distributed table too). */
export async function addMissingColumns(storage: Storage, ctx: DdlContext, specs: TableSpec[]): Promise<void> {
  const on = ctx.cluster ? ` ON CLUSTER ${ctx.cluster}` : '';
  const rows = await queryRows<{ table: string; name: string }>(
    storage.write,
    'SELECT table, name FROM system.columns WHERE database = currentDatabase()',
  );
  const have = new Map<string, Set<string>>();
  for (const r of rows) have.set(r.table, (have.get(r.table) ?? new Set()).add(r.name));
  for (const spec of specs) {
    const physical = spec.shardKey ? localName(spec.name, ctx) : spec.name;
    const cols = have.get(physical);
    if (!cols) continue;
    for (const def of spec.columns) {
      if (cols.has(columnName(def))) continue;
      await storage.write.command({ query: `ALTER TABLE ${physical}${on} ADD COLUMN IF NOT EXISTS ${def}` });
      if (physical !== spec.name) await storage.write.command({ query: `ALTER TABLE ${spec.name}${on} ADD COLUMN IF NOT EXISTS ${def}` });
    }
  }
}

/**
 * Sets what a table spec's SETTINGS say where the stored table differs (a store made before a
 * setting was added): ALTER ... MODIFY SETTING changes metadata only, no part is rewritten.
 */
export async function applyTableSettings(storage: Storage, ctx: DdlContext, specs: TableSpec[]): Promise<void> {
  const on = ctx.cluster ? ` ON CLUSTER ${ctx.cluster}` : '';
  const stored = new Map(
    (await queryRows<{ name: string; create_table_query: string }>(
      storage.write,
      'SELECT name, create_table_query FROM system.tables WHERE database = currentDatabase()',
    )).map((r) => [r.name, r.create_table_query]),
  );
  for (const spec of specs) {
    const physical = spec.shardKey ? localName(spec.name, ctx) : spec.name;
    const create = stored.get(physical);
    if (!create || !spec.settings) continue;
    const settings = create.slice(create.lastIndexOf(' SETTINGS '));
    const differ = Object.entries(spec.settings).filter(([k, v]) => !new RegExp(`[ ,]${k} = ${v}(,|$)`).test(settings));
    if (differ.length === 0) continue;
    await storage.write.command({ query: `ALTER TABLE ${physical}${on} MODIFY SETTING ${differ.map(([k, v]) => `${k} = ${v}`).join(', ')}` });
  }
}

/**
 * Recreates the views whose statement differs from the one recorded when they were made (in
 * `settings`, key `view:<name>`). Events inserted between the drop and the create are not
 * rolled up: migrations run before a process serves, and on a cluster with ingest stopped.
 */
export async function refreshChangedViews(storage: Storage, ctx: DdlContext, views: ViewSpec[], sharded: (name: string) => boolean, existedBefore: Set<string>): Promise<void> {
  const on = ctx.cluster ? ` ON CLUSTER ${ctx.cluster}` : '';
  const recorded = new Map(
    (await queryRows<{ key: string; value: string }>(storage.write, `SELECT key, value FROM settings FINAL WHERE startsWith(key, 'view:')`)).map((r) => [r.key, r.value]),
  );
  for (const v of views) {
    const statement = createView(v, ctx, sharded);
    const hash = createHash('sha256').update(statement).digest('hex').slice(0, 16);
    const key = `view:${v.name}`;
    if (recorded.get(key) === hash) continue;
    // A view older than this record (or than recording at all) is made again: cheap, and the
    // only way to be sure it has the current query.
    if (existedBefore.has(v.name)) {
      await storage.write.command({ query: `DROP VIEW IF EXISTS ${v.name}${on}` });
      await storage.write.command({ query: statement });
    }
    await storage.write.insert({ table: 'settings', values: [{ key, value: hash, version: nextVersion() }], format: 'JSONEachRow' });
  }
}
