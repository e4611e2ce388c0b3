import type { TableSpec } from './ddl.ts';
import { accessTables } from './schema-access.ts';
import { licensingTables } from './schema-licensing.ts';
import { ingestTables } from './schema-ingest.ts';
import { mailTables } from './schema-mail.ts';
import { resolutionTables } from './schema-resolution.ts';
import { rosterTables } from './schema-roster.ts';
import { signinBackfills, signinTables, signinViews } from './schema-signin.ts';
import type { SchemaOptions } from './schema-common.ts';
import { backfills as usageBackfills, usageTables, views as usageViews } from './schema-usage.ts';

/**
 * The tables, one file per domain: use (schema-usage.ts, with the views and backfills), the
 * resolution cache, the roster, licensing, access and privacy, scheduled e-mail, what several
 * ingest writers into one store agree on, and sign-ins through the identity provider
 * (schema-signin.ts, its own view and backfill).
 */
export { OPEN_END, OPEN_START, answerDate, type SchemaOptions } from './schema-common.ts';
export { halfOf } from './schema-usage.ts';
export const views = [...usageViews, ...signinViews];
export const backfills = [...usageBackfills, ...signinBackfills];

/**
 * A 202 (and an import's answer) promises that the data survives a power cut too: the ingest
 * journal is fsynced, and it lets go of a batch once the insert returns, so by then the parts
 * must be on disk, renamed into place. ClickHouse does neither by default. The cost per insert
 * is small beside gathering rows into a few inserts a second (docs/benchmarks.md, "Measurements behind the code",
 * "Durable parts"). Parts written by merges are not synced, but
 * ClickHouse keeps the parts they replace for eight minutes (old_parts_lifetime) for this.
 * The resolution cache (rc_*) is rebuilt from the rest and skips it.
 */
export const DURABLE_SETTINGS = { fsync_after_insert: 1, fsync_part_directory: 1 } as const;

export function tables(opts: SchemaOptions): TableSpec[] {
  return allTables(opts).map((t) => (t.name.startsWith('rc_') ? t : { ...t, settings: { ...t.settings, ...DURABLE_SETTINGS } }));
}

function allTables(opts: SchemaOptions): TableSpec[] {
  return [...usageTables(opts), ...resolutionTables, ...rosterTables, ...licensingTables, ...accessTables, ...mailTables(), ...ingestTables(), ...signinTables()];
}
